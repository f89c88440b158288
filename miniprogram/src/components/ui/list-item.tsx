import { ArrowRight } from '@nutui/icons-react-taro';
import { Image, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './ui.scss';
import { LAZY_IMAGES } from './lazy';

export interface ListItemProps {
  title: ReactNode;
  description?: ReactNode;
  meta?: ReactNode;
  thumb?: string | null;
  extra?: ReactNode;
  /** A trailing chevron: the row opens another page. */
  arrow?: boolean;
  /** A leading icon (from @nutui/icons-react-taro). */
  icon?: ReactNode;
  onClick?: () => void;
  testId?: string;
}

/** One row of any list: title, optional description/meta lines, a thumbnail or a trailing extra. */
export function ListItem({ title, description, meta, thumb, extra, arrow, icon, onClick, testId }: ListItemProps) {
  return (
    <View className={`rm-list-item${onClick ? ' rm-list-item--tappable' : ''}`} onClick={onClick} data-testid={testId}>
      {icon ? <View className="rm-list-item__icon">{icon}</View> : null}
      <View className="rm-list-item__body">
        <View className="rm-list-item__title">{title}</View>
        {description ? <View className="rm-list-item__desc">{description}</View> : null}
        {meta ? <View className="rm-list-item__meta">{meta}</View> : null}
      </View>
      {thumb ? <Image className="rm-list-item__thumb" src={thumb} mode="aspectFill" lazyLoad={LAZY_IMAGES} /> : null}
      {extra ? <Text className="rm-list-item__extra">{extra}</Text> : null}
      {arrow ? <ArrowRight className="rm-list-item__arrow" /> : null}
    </View>
  );
}
