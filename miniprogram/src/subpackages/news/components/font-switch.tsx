import { Text, View } from '@tarojs/components';
import { ARTICLE_FONT_LABELS, ARTICLE_FONT_SIZES, type ArticleFontSize } from '../../../stores/article-font-core';

/** 字号 小/中/大: a segmented switch; the choice is remembered on the device (stores/article-font.ts). */
export function FontSwitch({ value, onChange }: { value: ArticleFontSize; onChange: (size: ArticleFontSize) => void }) {
  return (
    <View className="news-font-switch" data-testid="font-switch">
      <Text className="news-font-switch__label">字号</Text>
      {ARTICLE_FONT_SIZES.map((size) => (
        <View
          key={size}
          className={`news-font-switch__option${size === value ? ' news-font-switch__option--on' : ''}`}
          onClick={() => onChange(size)}
          data-testid={`font-${size}`}
          aria-label={`字号${ARTICLE_FONT_LABELS[size]}`}
        >
          {ARTICLE_FONT_LABELS[size]}
        </View>
      ))}
    </View>
  );
}
