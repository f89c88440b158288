import type { ArticleCard } from '@shared/schemas/newsroom';
import { PlayStart } from '@nutui/icons-react-taro';
import { Image, Text, Video, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
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

function Meta({ article }: { article: ArticleCard }) {
  return (
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
  );
}

/**
 * A story with a video: the title, the picture full width with a play badge — a tap plays the video right
 * there (the title and the line below still open the story) — and the meta line.
 */
function VideoNewsCard({ article, onClick, testId = 'feed-item' }: NewsCardProps) {
  const [playing, setPlaying] = useState(false);
  const src = article.video ?? '';
  const playerId = `rm-feed-video-${article.id}`;
  // One tap plays: `autoplay` alone is not always honoured (browsers' autoplay rules), play() is. In H5 the player
  // is the taro-video-core element itself (Taro's H5 createVideoContext does not find it from here).
  useEffect(() => {
    if (!playing) return undefined;
    const timer = setTimeout(() => {
      const player: { play?: () => unknown } | null | undefined =
        process.env.TARO_ENV === 'h5'
          ? (document.getElementById(playerId) as unknown as { play?: () => unknown } | null)
          : Taro.createVideoContext(playerId);
      void Promise.resolve(player?.play?.()).catch(() => undefined);
    }, 0);
    return () => clearTimeout(timer);
  }, [playing, playerId]);
  return (
    <View className="rm-news-card rm-news-card--video" data-testid={testId} data-sponsored={article.sponsored ? 'true' : 'false'}>
      <View className="rm-news-card__title" onClick={onClick}>
        {article.title}
      </View>
      <View className="rm-news-card__media">
        {playing ? (
          <Video
            id={playerId}
            className="rm-news-card__video"
            src={src}
            poster={article.cover ?? undefined}
            autoplay
            controls
            objectFit="contain"
            data-testid="feed-video-player"
          />
        ) : (
          <View className="rm-news-card__poster" data-testid="feed-video" onClick={() => setPlaying(true)}>
            {article.cover ? <Image className="rm-news-card__video" src={article.cover} mode="aspectFill" lazyLoad={LAZY_IMAGES} /> : null}
            <View className="rm-news-card__play" data-testid="feed-video-play">
              <PlayStart />
            </View>
          </View>
        )}
      </View>
      <View onClick={onClick}>
        <Meta article={article} />
      </View>
    </View>
  );
}

/**
 * One story in a list, the way county news apps draw it: the title in large type, the cover on the right, a
 * line with the byline, age and reads. A merchant's promotion says 推广 before anything else. A story with a
 * video gets the full-width card that plays in place.
 */
export function NewsCard(props: NewsCardProps) {
  const { article, onClick, testId = 'feed-item' } = props;
  if (article.video) return <VideoNewsCard {...props} />;
  return (
    <View className="rm-news-card" onClick={onClick} data-testid={testId} data-sponsored={article.sponsored ? 'true' : 'false'}>
      <View className="rm-news-card__body">
        <View className="rm-news-card__title">{article.title}</View>
        <Meta article={article} />
      </View>
      {article.cover ? <Image className="rm-news-card__cover" src={article.cover} mode="aspectFill" lazyLoad={LAZY_IMAGES} /> : null}
    </View>
  );
}
