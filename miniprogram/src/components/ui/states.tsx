import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { View } from '@tarojs/components';
import './ui.scss';

interface StateProps {
  title?: string;
  description?: string;
  inline?: boolean;
}

function StateBox({
  icon,
  title,
  description,
  inline,
  action,
  testId,
}: StateProps & { icon: string; action?: React.ReactNode; testId: string }) {
  return (
    <View className={`rm-state${inline ? ' rm-state--inline' : ''}`} data-testid={testId}>
      <View className="rm-state__icon">{icon}</View>
      {title ? <View className="rm-state__title">{title}</View> : null}
      {description ? <View className="rm-state__desc">{description}</View> : null}
      {action ? <View className="rm-state__action">{action}</View> : null}
    </View>
  );
}

export function LoadingState({ title = '加载中…', inline }: StateProps) {
  return <StateBox icon="⏳" title={title} inline={inline} testId="state-loading" />;
}

export function EmptyState({ title = '暂无内容', description, inline }: StateProps) {
  return <StateBox icon="📭" title={title} description={description} inline={inline} testId="state-empty" />;
}

/** A failed load with a retry button. `offline` picks the network wording. */
export function ErrorState({ title, description, inline, offline, onRetry }: StateProps & { offline?: boolean; onRetry?: () => void }) {
  return (
    <StateBox
      icon={offline ? '📡' : '⚠️'}
      title={title ?? (offline ? '网络不可用' : '加载失败')}
      description={description ?? (offline ? '请检查网络连接后重试' : undefined)}
      inline={inline}
      testId={offline ? 'state-offline' : 'state-error'}
      action={
        onRetry ? (
          <Button size="small" type="primary" fill="outline" onClick={onRetry}>
            重试
          </Button>
        ) : undefined
      }
    />
  );
}
