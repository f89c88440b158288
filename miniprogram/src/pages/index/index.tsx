import { ARTICLE_COLUMN_LABELS, type ArticleCard } from '@shared/schemas/newsroom';
import { View } from '@tarojs/components';
import { useLoad, useShareAppMessage } from '@tarojs/taro';
import { ListItem, PagedList } from '../../components/ui';
import { usePagedList } from '../../hooks/use-paged-list';
import { newsroomApi } from '../../services/newsroom.api';
import { resolveDeepLink, sharePath } from '../../utils/deep-link';
import { formatCount, formatShanghai } from '../../utils/format';
import { go, openLink } from '../../utils/navigate';
import './index.scss';

/** 首页: the news feed, newest first; pull to refresh, scroll for more. */
export default function FeedPage() {
  // A mini-program code made for this page carries `scene` (e.g. `a.<id>`): go straight to that content.
  useLoad((params: Record<string, string | undefined>) => {
    if (params.scene) {
      const link = resolveDeepLink({ path: 'pages/index/index', query: params });
      if (link && !link.isTab) void openLink(link);
    }
  });

  const list = usePagedList<ArticleCard>((cursor) => newsroomApi.feed({ cursor, limit: 10 }));
  useShareAppMessage(() => ({ title: '融媒社区 · 本地新闻', path: '/pages/index/index' }));

  return (
    <View className="feed-page">
      <PagedList
        testId="feed"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="还没有新闻"
        renderItem={(a) => (
          <ListItem
            key={a.id}
            testId="feed-item"
            title={a.title}
            description={a.summary || undefined}
            meta={`${ARTICLE_COLUMN_LABELS[a.column]} · ${a.author.name} · ${formatShanghai(a.publishedAt)} · ${formatCount(a.reads)} 阅读`}
            thumb={a.cover}
            onClick={() => go(sharePath('a', a.id))}
          />
        )}
      />
    </View>
  );
}
