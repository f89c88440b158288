import type { CommentThread, CommentView } from '@shared/schemas/comments';

/**
 * The comment list's state changes, Taro-free (unit-tested in test/mini-program/comment-threads.test.ts):
 * what the page shows after the reader comments, replies, deletes or opens a thread's other replies.
 */
export interface Threads {
  items: CommentThread[];
  nextCursor: string | null;
  total: number;
}

export const emptyThreads: Threads = { items: [], nextCursor: null, total: 0 };

/** A page from the API appended (ids already shown are skipped: a thread may move while comments arrive). */
export function appendPage(state: Threads, page: Threads): Threads {
  const seen = new Set(state.items.map((t) => t.id));
  return { items: [...state.items, ...page.items.filter((t) => !seen.has(t.id))], nextCursor: page.nextCursor, total: page.total };
}

/** The reader's own published comment: a new thread on top, or a reply at the end of its thread. */
export function addOwn(state: Threads, comment: CommentView): Threads {
  if (comment.state !== 'published') return state;
  if (!comment.parentId) {
    return { ...state, items: [{ ...comment, replies: [], replyCount: 0 }, ...state.items], total: state.total + 1 };
  }
  return {
    ...state,
    total: state.total + 1,
    items: state.items.map((t) =>
      t.id === comment.parentId ? { ...t, replies: [...t.replies, comment], replyCount: t.replyCount + 1 } : t,
    ),
  };
}

/** A deleted comment (a thread goes with its replies; a reply leaves its thread). */
export function removeOne(state: Threads, id: string): Threads {
  const thread = state.items.find((t) => t.id === id);
  if (thread) return { ...state, items: state.items.filter((t) => t.id !== id), total: Math.max(0, state.total - 1 - thread.replyCount) };
  return {
    ...state,
    total: Math.max(0, state.total - 1),
    items: state.items.map((t) =>
      t.replies.some((r) => r.id === id) ? { ...t, replies: t.replies.filter((r) => r.id !== id), replyCount: t.replyCount - 1 } : t,
    ),
  };
}

/** All replies of a thread, loaded when the reader opens 查看全部回复. */
export function setReplies(state: Threads, threadId: string, replies: CommentView[]): Threads {
  return {
    ...state,
    items: state.items.map((t) => (t.id === threadId ? { ...t, replies, replyCount: Math.max(t.replyCount, replies.length) } : t)),
  };
}
