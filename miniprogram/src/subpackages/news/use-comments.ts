import { COMMENT_HELD_NOTICE, REPORT_REASON_LABELS, REPORT_REASONS, type CommentView } from '@shared/schemas/comments';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { commentsApi } from '../../services/comments.api';
import { auth } from '../../services/request';
import { addOwn, appendPage, emptyThreads, removeOne, setReplies, type Threads } from './comment-threads';

export type CommentsLoad = 'loading' | 'ready' | 'error';

/** The article page's comments: pages, posting (held ones say so), replies, reports, deleting one's own. */
export function useComments(articleId: string | null) {
  const [threads, setThreads] = useState<Threads>(emptyThreads);
  const [load, setLoad] = useState<CommentsLoad>('loading');
  const [loadingMore, setLoadingMore] = useState(false);
  /** The last comment of this reader that waits for an editor (the bar says 评论审核通过后展示). */
  const [heldNotice, setHeldNotice] = useState(false);
  const state = useRef(threads);
  state.current = threads;

  const first = useCallback(async () => {
    if (!articleId) return;
    setLoad('loading');
    try {
      const page = await commentsApi.list(articleId);
      setThreads(appendPage(emptyThreads, page));
      setLoad('ready');
    } catch {
      setLoad('error');
    }
  }, [articleId]);

  useEffect(() => {
    void first();
  }, [first]);

  async function more() {
    const cursor = state.current.nextCursor;
    if (!articleId || !cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await commentsApi.list(articleId, cursor);
      setThreads((s) => appendPage(s, page));
    } catch (err) {
      void Taro.showToast({ title: err instanceof Error ? err.message : '加载失败', icon: 'none' });
    } finally {
      setLoadingMore(false);
    }
  }

  /** Sends a comment or a reply; true when it was accepted (shown or held). Needs a signed-in reader. */
  async function post(text: string, parentId?: string): Promise<boolean> {
    if (!articleId) return false;
    if (!(await auth.ensureLoggedIn())) {
      void Taro.showToast({ title: '请先登录后再评论', icon: 'none' });
      return false;
    }
    try {
      const { comment, held } = await commentsApi.create(articleId, text, parentId);
      setHeldNotice(held);
      if (held) void Taro.showToast({ title: COMMENT_HELD_NOTICE, icon: 'none', duration: 2500 });
      else {
        setThreads((s) => addOwn(s, comment));
        void Taro.showToast({ title: '评论成功', icon: 'success' });
      }
      return true;
    } catch {
      // The API client has shown the Chinese error (content check, rate limit…).
      return false;
    }
  }

  async function remove(comment: CommentView) {
    const { confirm } = await Taro.showModal({ title: '删除评论', content: '删除后不能恢复，确定删除吗？', confirmText: '删除' });
    if (!confirm) return;
    try {
      await commentsApi.remove(comment.id);
      setThreads((s) => removeOne(s, comment.id));
    } catch {
      // Shown by the API client.
    }
  }

  async function report(comment: CommentView) {
    if (!(await auth.ensureLoggedIn())) return;
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: REPORT_REASONS.map((r) => REPORT_REASON_LABELS[r]) });
      const reason = REPORT_REASONS[tapIndex];
      if (!reason) return;
      const res = await commentsApi.report(comment.id, reason);
      if (res.hidden) setThreads((s) => removeOne(s, comment.id));
      void Taro.showToast({ title: '已举报，感谢你的反馈', icon: 'none' });
    } catch {
      // Cancelled, or shown by the API client (already reported…).
    }
  }

  async function allReplies(threadId: string) {
    try {
      const replies: CommentView[] = [];
      let cursor: string | null = null;
      do {
        const page = await commentsApi.replies(threadId, cursor);
        replies.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && replies.length < 200);
      setThreads((s) => setReplies(s, threadId, replies));
    } catch (err) {
      void Taro.showToast({ title: err instanceof Error ? err.message : '加载失败', icon: 'none' });
    }
  }

  return { threads, load, loadingMore, heldNotice, reload: first, more, post, remove, report, allReplies };
}
