import type { ArticleAuthor, ArticleCard } from '@shared/schemas/newsroom';

/** At most one promotion in every this many home feed items. */
export const PROMOTION_EVERY = 6;

export type FeedRow = { kind: 'article'; article: ArticleCard } | { kind: 'promotion'; article: ArticleCard };

/**
 * The home feed as shown: the news, with one merchant promotion after every `every - 1` news items (never two
 * promotions closer than `every` rows, never one before the first news, none left over once promotions run
 * out). Pure, so the spacing rule is unit-tested.
 */
export function mixPromotions(news: readonly ArticleCard[], promotions: readonly ArticleCard[], every = PROMOTION_EVERY): FeedRow[] {
  const rows: FeedRow[] = [];
  let next = 0;
  news.forEach((article, i) => {
    rows.push({ kind: 'article', article });
    if ((i + 1) % (every - 1) === 0 && next < promotions.length) rows.push({ kind: 'promotion', article: promotions[next++]! });
  });
  return rows;
}

/** The byline readers see: 通讯员 and the correspondent's name, or the editorial team's name — never doubled. */
export function bylineOf(author: ArticleAuthor): string {
  const name = author.name.replace(/^通讯员\s*/, '').trim();
  return author.kind === 'correspondent' ? `通讯员 ${name}` : name;
}

/** "3 小时前" for today's news, the date for older (Asia/Shanghai). */
export function ageOf(iso: string, now: number = Date.now()): string {
  const ms = now - new Date(iso).getTime();
  if (Number.isNaN(ms)) return '';
  if (ms < 60_000) return '刚刚';
  if (ms < 3600_000) return `${Math.floor(ms / 60_000)} 分钟前`;
  if (ms < 24 * 3600_000) return `${Math.floor(ms / 3600_000)} 小时前`;
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}
