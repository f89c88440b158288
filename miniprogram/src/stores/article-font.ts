import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { createArticleFont, type ArticleFontSize } from './article-font-core';

/** The app's one article text size, kept in Taro storage. */
export const articleFont = createArticleFont({
  getItem: (k) => Taro.getStorageSync(k) as string | undefined,
  setItem: (k, v) => Taro.setStorageSync(k, v),
  removeItem: (k) => Taro.removeStorageSync(k),
});

/** [size, set] for the article page's 小/中/大 switch. */
export function useArticleFont(): [ArticleFontSize, (size: ArticleFontSize) => void] {
  const [size, setSize] = useState(articleFont.get());
  useEffect(() => articleFont.subscribe(setSize), []);
  return [size, articleFont.set];
}
