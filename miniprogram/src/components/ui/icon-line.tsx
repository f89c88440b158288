import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './ui.scss';

export interface IconLineProps {
  /** An icon from @nutui/icons-react-taro, e.g. <Location />. */
  icon: ReactNode;
  children: ReactNode;
  className?: string;
  onClick?: () => void;
  testId?: string;
}

/** A line of text led by an icon (address, phone, a confirmation): the icon takes the text's size and colour. */
export function IconLine({ icon, children, className, onClick, testId }: IconLineProps) {
  return (
    <View className={`rm-icon-line${className ? ` ${className}` : ''}`} onClick={onClick} data-testid={testId}>
      <View className="rm-icon-line__icon">{icon}</View>
      <Text>{children}</Text>
    </View>
  );
}
