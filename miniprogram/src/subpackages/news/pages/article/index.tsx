import { COMMENT_HELD_NOTICE, type CommentView } from '@shared/schemas/comments';
import type { ArticleCard, ArticleView } from '@shared/schemas/newsroom';
import { Share } from '@nutui/icons-react-taro';
import { Image, Text, Video, View } from '@tarojs/components';
import Taro, { useLoad, useReachBottom, useShareAppMessage, useShareTimeline } from '@tarojs/taro';
import { useState } from 'react';
import { Button, EmptyState, ErrorState, LoadingState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { isApiError } from '../../../../services/core/api-error';
import { newsroomApi } from '../../../../services/newsroom.api';
import { auth } from '../../../../services/request';
import { useArticleFont } from '../../../../stores/article-font';
import { columnName } from '../../../../stores/columns';
import { resolveDeepLink, sharePath } from '../../../../utils/deep-link';
import { formatCount, formatShanghai } from '../../../../utils/format';
import { shareOnWeb, webUrl } from '../../../../utils/web-share';
import { CommentBar } from '../../components/comment-bar';
import { CommentItem } from '../../components/comment-list';
import { FontSwitch } from '../../components/font-switch';
import { RelatedList } from '../../components/related-list';
import { useComments } from '../../use-comments';
import './index.scss';
import { withCareMode } from '../../../../stores/care-mode';

const PAGE = 'subpackages/news/pages/article/index';
const IS_WEAPP = process.env.TARO_ENV === 'weapp';

type Load = { status: 'loading' } | { status: 'ok'; article: ArticleView } | { status: 'error'; message: string; offline: boolean };

/** 通讯员 周晓东 · 责任编辑 陈静, or the desk's own name on its articles. */
function byline(a: ArticleView): string {
  const author = a.author.kind === 'correspondent' ? `通讯员 ${a.author.name}` : a.author.name;
  return a.editor ? `${author} · 责任编辑 ${a.editor.name}` : author;
}

/** The article page: opened from the feed, a share card (`?id=`) or a mini-program code (`?scene=a.<id>`). */
function ArticlePage() {
  const [id, setId] = useState<string | null>(null);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [like, setLike] = useState({ liked: false, likes: 0, busy: false });
  const [related, setRelated] = useState<ArticleCard[]>([]);
  const [replyTo, setReplyTo] = useState<CommentView | null>(null);
  const [font, setFont] = useArticleFont();
  const { user } = useSession();
  const comments = useComments(load.status === 'ok' ? load.article.id : null);

  async function fetchArticle(articleId: string) {
    setLoad({ status: 'loading' });
    // From a share card the app may start here: log in silently first (reads count per person).
    await auth.ensureLoggedIn();
    try {
      const { article } = await newsroomApi.article(articleId);
      setLoad({ status: 'ok', article });
      setLike({ liked: false, likes: article.likes, busy: false });
      void Taro.setNavigationBarTitle({ title: columnName(article.column) });
      void newsroomApi.markRead(articleId).then((read) => {
        if (read) setLike((l) => (l.busy ? l : { liked: read.liked, likes: read.likes, busy: false }));
      });
      void newsroomApi
        .related(articleId)
        .then((r) => setRelated(r.items))
        .catch(() => setRelated([]));
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

  useReachBottom(() => void comments.more());

  const article = load.status === 'ok' ? load.article : null;
  useShareAppMessage(() => ({
    title: article?.title ?? '融媒社区',
    path: id ? sharePath('a', id) : '/pages/index/index',
    ...(article?.cover ? { imageUrl: article.cover } : {}),
  }));
  useShareTimeline(() => ({
    title: article?.title ?? '融媒社区',
    query: id ? `id=${id}` : '',
    ...(article?.cover ? { imageUrl: article.cover } : {}),
  }));

  /** H5: the phone's share sheet, or the link copied (WeChat has its own share menu and the button below). */
  function shareOnH5() {
    if (!article) return;
    void shareOnWeb(
      { title: article.title, url: webUrl(sharePath('a', article.id), window.location) },
      {
        share: typeof navigator.share === 'function' ? (data) => navigator.share(data) : undefined,
        copy: (text) => Taro.setClipboardData({ data: text }),
        toast: (title) => void Taro.showToast({ title, icon: 'none' }),
      },
    );
  }

  async function toggleLike() {
    if (!article || like.busy) return;
    if (!(await auth.ensureLoggedIn())) {
      void Taro.showToast({ title: '请先登录后再点赞', icon: 'none' });
      return;
    }
    const next = !like.liked;
    // Shown at once; the API's answer sets the real count.
    setLike({ liked: next, likes: like.likes + (next ? 1 : -1), busy: true });
    try {
      const res = next ? await newsroomApi.like(article.id) : await newsroomApi.unlike(article.id);
      setLike({ liked: res.liked, likes: res.likes, busy: false });
    } catch {
      setLike({ ...like, busy: false });
    }
  }

  async function send(text: string): Promise<boolean> {
    const ok = await comments.post(text, replyTo?.id);
    if (ok) setReplyTo(null);
    return ok;
  }

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
  const { threads } = comments;
  return (
    <View className={`article-page article-page--font-${font}`} data-testid="article">
      <View className="article-page__main">
        <View className="article-page__title" data-testid="article-title">
          {a.title}
        </View>
        {/* The column is the title bar's; the byline names the people. */}
        <View className="article-page__byline" data-testid="article-byline">
          {byline(a)}
        </View>
        <View className="article-page__meta">
          <Text>
            {formatShanghai(a.publishedAt)} · {formatCount(a.reads)} 阅读{a.place ? ` · ${a.place}` : ''}
          </Text>
          <FontSwitch value={font} onChange={setFont} />
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
                <View key={i} className="article-page__figure">
                  <Video
                    className="article-page__video"
                    src={block.url}
                    poster={a.cover ?? undefined}
                    controls
                    objectFit="contain"
                    data-testid="article-video"
                  />
                </View>
              );
          }
        })}
        <View className="article-page__share">
          {IS_WEAPP ? (
            <Button size="small" openType="share" icon={<Share />}>
              分享给好友
            </Button>
          ) : (
            <Button size="small" icon={<Share />} data-testid="article-share" onClick={shareOnH5}>
              分享
            </Button>
          )}
        </View>
      </View>

      <RelatedList items={related} />

      <View className="news-section" data-testid="comments">
        <View className="news-section__title">评论 {threads.total > 0 ? threads.total : ''}</View>
        {comments.load === 'loading' ? <LoadingState inline /> : null}
        {comments.load === 'error' ? <ErrorState inline title="评论加载失败" onRetry={() => void comments.reload()} /> : null}
        {comments.load === 'ready' && threads.items.length === 0 ? (
          <EmptyState inline title="还没有评论" description="说说你的看法吧" />
        ) : null}
        {threads.items.map((thread) => (
          <CommentItem
            key={thread.id}
            thread={thread}
            actions={{
              me: user?.id ?? null,
              onReply: setReplyTo,
              onReport: (c) => void comments.report(c),
              onDelete: (c) => void comments.remove(c),
              onAllReplies: (threadId) => void comments.allReplies(threadId),
            }}
          />
        ))}
        {threads.nextCursor ? (
          <View className="news-section__more" onClick={() => void comments.more()}>
            {comments.loadingMore ? '加载中…' : '查看更多评论'}
          </View>
        ) : null}
      </View>

      <CommentBar
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(null)}
        onSend={send}
        liked={like.liked}
        likes={like.likes}
        onLike={() => void toggleLike()}
        heldNotice={comments.heldNotice ? COMMENT_HELD_NOTICE : null}
      />
    </View>
  );
}

export default withCareMode(ArticlePage);
