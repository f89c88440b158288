import { ARTICLE_COLUMN_LABELS, type ArticleView } from '@shared/schemas/newsroom';
import { Image, Text, View } from '@tarojs/components';
import Taro, { useLoad, useShareAppMessage } from '@tarojs/taro';
import { useState } from 'react';
import { ErrorState, LoadingState } from '../../../../components/ui';
import { isApiError } from '../../../../services/core/api-error';
import { newsroomApi } from '../../../../services/newsroom.api';
import { auth } from '../../../../services/request';
import { resolveDeepLink, sharePath } from '../../../../utils/deep-link';
import { formatCount, formatShanghai } from '../../../../utils/format';
import './index.scss';

const PAGE = 'subpackages/news/pages/article/index';

type Load = { status: 'loading' } | { status: 'ok'; article: ArticleView } | { status: 'error'; message: string; offline: boolean };

/** The article page: opened from the feed, a share card (`?id=`) or a mini-program code (`?scene=a.<id>`). */
export default function ArticlePage() {
  const [id, setId] = useState<string | null>(null);
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  async function fetchArticle(articleId: string) {
    setLoad({ status: 'loading' });
    // From a share card the app may start here: log in silently first (reads count per person).
    await auth.ensureLoggedIn();
    try {
      const { article } = await newsroomApi.article(articleId);
      setLoad({ status: 'ok', article });
      void Taro.setNavigationBarTitle({ title: ARTICLE_COLUMN_LABELS[article.column] });
      void newsroomApi.markRead(articleId);
    } catch (err) {
      setLoad({ status: 'error', message: err instanceof Error ? err.message : '加载失败', offline: isApiError(err) && err.isNetwork });
    }
  }

  useLoad((params: Record<string, string | undefined>) => {
    const link = resolveDeepLink({ path: PAGE, query: params });
    const articleId = link?.page === PAGE ? link.query.id : undefined;
    if (!articleId) {
      setLoad({ status: 'error', message: '链接无效或内容不存在', offline: false });
      return;
    }
    setId(articleId);
    void fetchArticle(articleId);
  });

  useShareAppMessage(() => {
    const article = load.status === 'ok' ? load.article : null;
    return {
      title: article?.title ?? '融媒社区',
      path: id ? sharePath('a', id) : '/pages/index/index',
      ...(article?.cover ? { imageUrl: article.cover } : {}),
    };
  });

  if (load.status === 'loading') return <LoadingState />;
  if (load.status === 'error')
    return (
      <ErrorState
        title="无法打开文章"
        description={load.message}
        offline={load.offline}
        onRetry={id ? () => void fetchArticle(id) : undefined}
      />
    );

  const a = load.article;
  return (
    <View className="article-page" data-testid="article">
      <View className="article-page__title" data-testid="article-title">
        {a.title}
      </View>
      <View className="article-page__meta">
        <Text className="rm-tag">{ARTICLE_COLUMN_LABELS[a.column]}</Text>
        {a.author.name} · {formatShanghai(a.publishedAt)} · {formatCount(a.reads)} 阅读
      </View>
      {a.body.map((block, i) => {
        switch (block.type) {
          case 'heading':
            return (
              <View key={i} className="article-page__heading">
                {block.text}
              </View>
            );
          case 'paragraph':
            return (
              <View key={i} className="article-page__para">
                {block.text}
              </View>
            );
          case 'image':
            return (
              <View key={i} className="article-page__figure">
                <Image className="article-page__image" src={block.url} mode="widthFix" lazyLoad />
                {block.caption ? <View className="article-page__caption">{block.caption}</View> : null}
              </View>
            );
          case 'video':
            return (
              <View key={i} className="article-page__para">
                视频：{block.url}
              </View>
            );
        }
      })}
    </View>
  );
}
