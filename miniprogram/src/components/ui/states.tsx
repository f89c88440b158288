import { Skeleton } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/skeleton/style/css';
import { Image, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import emptyArt from '../../assets/illustrations/empty.svg';
import errorArt from '../../assets/illustrations/error.svg';
import offlineArt from '../../assets/illustrations/offline.svg';
import { Button } from './button';
import './ui.scss';

interface StateProps {
  title?: string;
  description?: string;
  inline?: boolean;
}

function StateBox({ art, title, description, inline, action, testId }: StateProps & { art: string; action?: ReactNode; testId: string }) {
  return (
    <View className={`rm-state${inline ? ' rm-state--inline' : ''}`} data-testid={testId}>
      <Image className="rm-state__art" src={art} mode="aspectFit" />
      {title ? <View className="rm-state__title">{title}</View> : null}
      {description ? <View className="rm-state__desc">{description}</View> : null}
      {action ? <View className="rm-state__action">{action}</View> : null}
    </View>
  );
}

/** First load: the shape of the content to come (NutUI Skeleton), never a spinner or an hourglass. */
export function LoadingState({ title = '加载中', inline, rows = 3 }: StateProps & { rows?: number }) {
  return (
    <View className={`rm-skeleton${inline ? ' rm-skeleton--inline' : ''}`} data-testid="state-loading" aria-label={title}>
      {Array.from({ length: inline ? 1 : rows }, (_, i) => (
        <View className="rm-skeleton__card" key={i}>
          <Skeleton animated rows={3} />
        </View>
      ))}
    </View>
  );
}

export function EmptyState({ title = '暂无内容', description, inline, action }: StateProps & { action?: ReactNode }) {
  return <StateBox art={emptyArt} title={title} description={description} inline={inline} action={action} testId="state-empty" />;
}

/** A failed load with a retry button. `offline` picks the network wording. */
export function ErrorState({ title, description, inline, offline, onRetry }: StateProps & { offline?: boolean; onRetry?: () => void }) {
  return (
    <StateBox
      art={offline ? offlineArt : errorArt}
      title={title ?? (offline ? '网络不可用' : '加载失败')}
      description={description ?? (offline ? '请检查网络连接后重试' : undefined)}
      inline={inline}
      testId={offline ? 'state-offline' : 'state-error'}
      action={
        onRetry ? (
          <Button type="primary" fill="outline" onClick={onRetry}>
            重试
          </Button>
        ) : undefined
      }
    />
  );
}
