import { Image, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './ui.scss';

export interface ListItemProps {
  title: ReactNode;
  description?: ReactNode;
  meta?: ReactNode;
  thumb?: string | null;
  extra?: ReactNode;
  onClick?: () => void;
  testId?: string;
}

/** One row of any list: title, optional description/meta lines, a thumbnail or a trailing extra. */
export function ListItem({ title, description, meta, thumb, extra, onClick, testId }: ListItemProps) {
  return (
    <View className="rm-list-item" onClick={onClick} data-testid={testId}>
      <View className="rm-list-item__body">
        <View className="rm-list-item__title">{title}</View>
        {description ? <View className="rm-list-item__desc">{description}</View> : null}
        {meta ? <View className="rm-list-item__meta">{meta}</View> : null}
      </View>
      {thumb ? <Image className="rm-list-item__thumb" src={thumb} mode="aspectFill" lazyLoad /> : null}
      {extra ? <Text className="rm-list-item__extra">{extra}</Text> : null}
    </View>
  );
}
