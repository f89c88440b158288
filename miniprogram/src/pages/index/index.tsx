import { Search } from '@nutui/icons-react-taro';
import type { ArticleCard } from '@shared/schemas/newsroom';
import type { CaseView } from '@shared/schemas/wenzheng';
import { ScrollView, View } from '@tarojs/components';
import { useLoad, usePullDownRefresh, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { NewsCard } from '../../components/news/news-card';
import { Button, ListItem, PagedList } from '../../components/ui';
import { usePagedList } from '../../hooks/use-paged-list';
import { newsroomApi } from '../../services/newsroom.api';
import { wenzhengApi } from '../../services/wenzheng.api';
import { resolveDeepLink, sharePath } from '../../utils/deep-link';
import { mixPromotions, type FeedRow } from '../../utils/feed-mix';
import { formatShanghai } from '../../utils/format';
import { go, openLink } from '../../utils/navigate';
import { useColumns } from '../../stores/columns';
import { channelsOf, FIXED_CHANNELS, type Channel } from './channels';
import { HeadlineCarousel } from './headline-carousel';
import { ServiceGrid } from './service-grid';
import './index.scss';
import { withCareMode } from '../../stores/care-mode';

const openArticle = (a: ArticleCard) => go(sharePath('a', a.id));

/** 推荐: the pinned headlines, the service grid, then the news with a promotion at most every few items. */
function RecommendChannel() {
  const [headlines, setHeadlines] = useState<ArticleCard[]>([]);
  const [promotions, setPromotions] = useState<ArticleCard[]>([]);
  const loadExtras = useCallback(() => {
    // Neither is essential: the news shows without them.
    void newsroomApi.headlines().then(
      (r) => setHeadlines(r.items),
      () => undefined,
    );
    void newsroomApi.feed({ kind: 'promotion', limit: 10 }).then(
      (r) => setPromotions(r.items),
      () => undefined,
    );
  }, []);
  useEffect(loadExtras, [loadExtras]);
  usePullDownRefresh(loadExtras);
  const list = usePagedList<ArticleCard>((cursor) => newsroomApi.feed({ kind: 'news', cursor, limit: 10 }));
  const rows = mixPromotions(list.state.items, promotions);
  return (
    <View>
      <HeadlineCarousel items={headlines} onOpen={openArticle} />
      <ServiceGrid />
      <View className="home-section-title">最新资讯</View>
      <PagedList<FeedRow>
        testId="feed"
        state={{ ...list.state, items: rows }}
        onRetry={list.reload}
        emptyTitle="还没有新闻"
        renderItem={(row) => (
          <NewsCard
            key={`${row.kind}-${row.article.id}`}
            article={row.article}
            testId={row.kind === 'promotion' ? 'feed-promotion' : 'feed-item'}
            onClick={() => openArticle(row.article)}
          />
        )}
      />
    </View>
  );
}

/** One column's news, newest first. */
function ColumnChannel({ channel }: { channel: Channel }) {
  const list = usePagedList<ArticleCard>((cursor) => newsroomApi.feed({ column: channel.column, cursor, limit: 10 }));
  return (
    <PagedList
      testId="feed"
      state={list.state}
      onRetry={list.reload}
      emptyTitle={`${channel.label}栏目还没有新闻`}
      renderItem={(a) => <NewsCard key={a.id} article={a} onClick={() => openArticle(a)} />}
    />
  );
}

/** 问政: ask a question, and the public questions with the departments' answers. */
function WenzhengChannel() {
  const list = usePagedList<CaseView>((cursor) => wenzhengApi.list({ cursor, limit: 10 }));
  return (
    <View>
      <View className="home-banner" data-testid="home-wenzheng">
        <View className="home-banner__title">有问题，找问政</View>
        <View className="home-banner__desc">你的诉求直达县里各部门，办理进度随时可查</View>
        <View className="home-banner__actions">
          <Button type="primary" onClick={() => go('/subpackages/wenzheng/pages/post/index')}>
            我要问政
          </Button>
          <Button onClick={() => go('/subpackages/wenzheng/pages/home/index')}>问政首页</Button>
        </View>
      </View>
      <View className="home-section-title">群众关心的问题</View>
      <PagedList
        state={list.state}
        onRetry={list.reload}
        emptyTitle="还没有公开的问政"
        renderItem={(c) => (
          <ListItem
            key={c.id}
            title={c.title}
            description={c.text.length > 40 ? `${c.text.slice(0, 40)}…` : c.text}
            meta={`${c.stateLabel} · ${formatShanghai(c.createdAt, false)}`}
            onClick={() => go(`/subpackages/wenzheng/pages/case/index?id=${c.id}`)}
          />
        )}
      />
    </View>
  );
}

/** 服务: the service grid, then 政务 news (notices, policies). */
function ServicesChannel({ channel }: { channel: Channel }) {
  return (
    <View>
      <ServiceGrid />
      <View className="home-section-title">政务公开</View>
      <ColumnChannel channel={channel} />
    </View>
  );
}

function ChannelBody({ channel }: { channel: Channel }) {
  switch (channel.kind) {
    case 'recommend':
      return <RecommendChannel />;
    case 'wenzheng':
      return <WenzhengChannel />;
    case 'services':
      return <ServicesChannel channel={channel} />;
    default:
      return <ColumnChannel channel={channel} />;
  }
}

/** 首页: search, channel tabs, and the chosen channel; pull to refresh, scroll for more. */
function HomePage() {
  // A mini-program code made for this page carries `scene` (e.g. `a.<id>`): go straight to that content.
  useLoad((params: Record<string, string | undefined>) => {
    if (params.scene) {
      const link = resolveDeepLink({ path: 'pages/index/index', query: params });
      if (link && !link.isTab) void openLink(link);
    }
  });
  useShareAppMessage(() => ({ title: '融媒社区 · 本地新闻', path: '/pages/index/index' }));
  // The fixed tabs at once; the admins' columns join them when the list arrives (stored from the last visit before).
  const columns = useColumns();
  const channels = useMemo(() => channelsOf(columns), [columns]);
  const [channel, setChannel] = useState<Channel>(FIXED_CHANNELS[0]!);

  return (
    <View className="home-page">
      <View className="home-top">
        <View className="home-search" data-testid="home-search" onClick={() => go('/subpackages/search/pages/index/index')}>
          <Search className="home-search__icon" />
          <View className="home-search__hint">搜索新闻、商家、活动</View>
        </View>
        <ScrollView scrollX className="home-tabs" data-testid="home-tabs">
          {channels.map((c) => (
            <View
              key={c.key}
              className={`home-tabs__tab${c.key === channel.key ? ' home-tabs__tab--on' : ''}`}
              data-testid={`home-tab-${c.key}`}
              onClick={() => setChannel(c)}
            >
              {c.label}
            </View>
          ))}
        </ScrollView>
      </View>
      {/* Keyed: a new channel starts from its own first page (and its own skeleton). */}
      <ChannelBody key={channel.key} channel={channel} />
    </View>
  );
}

export default withCareMode(HomePage);
