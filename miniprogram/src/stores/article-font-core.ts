import type { KeyValueStorage } from '../services/core/token-store';

export const ARTICLE_FONT_KEY = 'rongmei.article-font';
export const ARTICLE_FONT_SIZES = ['small', 'medium', 'large'] as const;
export type ArticleFontSize = (typeof ARTICLE_FONT_SIZES)[number];
export const ARTICLE_FONT_LABELS: Readonly<Record<ArticleFontSize, string>> = { small: '小', medium: '中', large: '大' };

export interface ArticleFont {
  get(): ArticleFontSize;
  set(size: ArticleFontSize): void;
  subscribe(listener: (size: ArticleFontSize) => void): () => void;
}

/**
 * The article text size (小/中/大), remembered on the device. It scales the article body relative to the
 * type scale, so 关怀模式 (which raises the scale itself) and this switch add up.
 */
export function createArticleFont(storage: KeyValueStorage): ArticleFont {
  const stored = storage.getItem(ARTICLE_FONT_KEY);
  let size: ArticleFontSize = (ARTICLE_FONT_SIZES as readonly string[]).includes(stored ?? '') ? (stored as ArticleFontSize) : 'medium';
  const listeners = new Set<(size: ArticleFontSize) => void>();
  return {
    get: () => size,
    set(next) {
      size = next;
      if (next === 'medium') storage.removeItem(ARTICLE_FONT_KEY);
      else storage.setItem(ARTICLE_FONT_KEY, next);
      listeners.forEach((l) => l(size));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
