/**
 * The article page's logic, Taro-free: the 小/中/大 text size (medium for a new install, remembered on the
 * device, heard by the switch) and the comment list after the reader comments, replies, deletes or opens a
 * thread (miniprogram/src/subpackages/news/comment-threads.ts).
 */
import type { CommentThread, CommentView } from '@shared/schemas/comments';
import { ARTICLE_FONT_KEY, createArticleFont } from '../../miniprogram/src/stores/article-font-core';
import { addOwn, appendPage, emptyThreads, removeOne, setReplies } from '../../miniprogram/src/subpackages/news/comment-threads';
import { memoryStorage } from './fake-transport';

describe('article text size', () => {
  it('is medium for a new install and remembered on the device', () => {
    const storage = memoryStorage();
    const font = createArticleFont(storage);
    expect(font.get()).toBe('medium');
    const heard: string[] = [];
    font.subscribe((s) => heard.push(s));
    font.set('large');
    expect(heard).toEqual(['large']);
    expect(createArticleFont(storage).get()).toBe('large');
    font.set('medium');
    expect(storage.data.has(ARTICLE_FONT_KEY)).toBe(false);
  });

  it('ignores a stored value it does not know', () => {
    const storage = memoryStorage();
    storage.setItem(ARTICLE_FONT_KEY, 'huge');
    expect(createArticleFont(storage).get()).toBe('medium');
  });
});

let n = 0;
const view = (over: Partial<CommentView> = {}): CommentView => ({
  id: (++n).toString(16).padStart(24, '0'),
  articleId: 'a'.repeat(24),
  parentId: null,
  replyTo: null,
  author: { id: 'b'.repeat(24), name: '老张', avatarUrl: null },
  text: '好',
  state: 'published',
  createdAt: '2026-12-07T01:00:00.000Z',
  ...over,
});
const thread = (over: Partial<CommentThread> = {}): CommentThread => ({ ...view(), replies: [], replyCount: 0, ...over });

describe('the comment list', () => {
  it('appends pages without repeating a thread', () => {
    const a = thread();
    const b = thread();
    const first = appendPage(emptyThreads, { items: [a], nextCursor: a.id, total: 2 });
    const next = appendPage(first, { items: [a, b], nextCursor: null, total: 2 });
    expect(next.items.map((t) => t.id)).toEqual([a.id, b.id]);
    expect(next.nextCursor).toBeNull();
  });

  it('puts the reader’s own comment on top and a reply at the end of its thread; a held one nowhere', () => {
    const a = thread();
    let s = appendPage(emptyThreads, { items: [a], nextCursor: null, total: 1 });
    const mine = view();
    s = addOwn(s, mine);
    expect(s.items.map((t) => t.id)).toEqual([mine.id, a.id]);
    const reply = view({ parentId: a.id });
    s = addOwn(s, reply);
    expect(s.items[1]).toMatchObject({ replyCount: 1, replies: [{ id: reply.id }] });
    expect(s.total).toBe(3);
    expect(addOwn(s, view({ state: 'pending' }))).toBe(s);
  });

  it('removes a thread with its replies, or one reply from its thread', () => {
    const reply = view();
    const a = thread({ replies: [reply], replyCount: 1 });
    const b = thread();
    const s = appendPage(emptyThreads, { items: [a, b], nextCursor: null, total: 3 });
    expect(removeOne(s, reply.id)).toMatchObject({ total: 2, items: [{ id: a.id, replies: [], replyCount: 0 }, { id: b.id }] });
    expect(removeOne(s, a.id)).toMatchObject({ total: 1, items: [{ id: b.id }] });
  });

  it('shows all replies of a thread once loaded', () => {
    const a = thread({ replyCount: 5 });
    const replies = [view(), view(), view(), view(), view()];
    const s = setReplies(appendPage(emptyThreads, { items: [a], nextCursor: null, total: 6 }), a.id, replies);
    expect(s.items[0]!.replies).toHaveLength(5);
  });
});
