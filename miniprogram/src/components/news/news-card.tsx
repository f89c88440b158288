import type { ArticleCard } from '@shared/schemas/newsroom';
import { Image, Text, View } from '@tarojs/components';
import { ageOf, bylineOf } from '../../utils/feed-mix';
import { formatCount } from '../../utils/format';
import '../ui/ui.scss';
import './news.scss';
import { LAZY_IMAGES } from '../ui/lazy';

export interface NewsCardProps {
  article: ArticleCard;
  onClick: () => void;
  testId?: string;
}

/**
 * One story in a list, the way county news apps draw it: the title in large type, the cover on the right, a
 * line with the byline, age and reads. A merchant's promotion says 推广 before anything else.
 */
export function NewsCard({ article, onClick, testId = 'feed-item' }: NewsCardProps) {
  return (
    <View className="rm-news-card" onClick={onClick} data-testid={testId} data-sponsored={article.sponsored ? 'true' : 'false'}>
      <View className="rm-news-card__body">
        <View className="rm-news-card__title">{article.title}</View>
        <View className="rm-news-card__meta">
          {article.sponsored ? (
            <Text className="rm-tag rm-tag--muted" data-testid="feed-item-sponsored">
              推广
            </Text>
          ) : null}
          <Text>
            {[bylineOf(article.author), ageOf(article.publishedAt), article.sponsored ? null : `${formatCount(article.reads)} 阅读`]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </View>
      </View>
      {article.cover ? <Image className="rm-news-card__cover" src={article.cover} mode="aspectFill" lazyLoad={LAZY_IMAGES} /> : null}
    </View>
  );
}
