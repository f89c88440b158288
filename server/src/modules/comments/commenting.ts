/**
 * The readers' side: an article's threads, a thread's replies, writing a comment or a reply (WeChat's text
 * check first), deleting one's own.
 */
import type { Types } from 'mongoose';
import {
  approvalRequired,
  type CommentListQuery,
  type CommentListResponse,
  type CommentThread,
  type CreateCommentBody,
  type CreateCommentResponse,
  type ReplyListResponse,
} from '@shared/schemas/comments';
import { can, type Actor } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import { SEC_CHECK_SCENE, type WechatClient } from '../../core/wechat';
import type { NewsroomService } from '../newsroom';
import type { UsersService } from '../users';
import type { CommentSettingsStore } from './comment-settings';
import { mustFindComment, type CommentViews } from './comment-store';
import { CommentModel, type CommentDoc } from './comments.model';
import type { ReplyNotices } from './reply-notices';

/** Replies shown under each thread of a page; the rest come from the replies list. */
const REPLIES_PER_THREAD = 3;

export interface CommentingDeps {
  clock: Clock;
  wechat: Pick<WechatClient, 'msgSecCheck'>;
  users: Pick<UsersService, 'openidOf'>;
  newsroom: Pick<NewsroomService, 'getArticle'>;
  settings: Pick<CommentSettingsStore, 'current'>;
  views: CommentViews;
  notices: ReplyNotices;
}

export function createCommenting({ clock, wechat, users, newsroom, settings, views, notices }: CommentingDeps) {
  /**
   * msgSecCheck as the author (scene comment). Staff accounts have no openid and are trusted, as for
   * submissions. Risky text is refused; "review" holds the comment for an editor.
   */
  async function checkText(authorId: string, text: string): Promise<{ suggest: 'pass' | 'review'; label: number }> {
    const openid = await users.openidOf(authorId);
    if (!openid) return { suggest: 'pass', label: 100 };
    const verdict = await wechat.msgSecCheck({ openid, scene: SEC_CHECK_SCENE.comment, content: text });
    if (verdict.suggest === 'risky') {
      throw new AppError('CONTENT_RISKY', {
        message: '评论内容未通过安全检测，请修改后再发',
        details: { part: 'text', label: verdict.label },
      });
    }
    return { suggest: verdict.suggest, label: verdict.label };
  }

  /** What a reader can see: shown threads and the shown replies under them (a hidden thread hides its replies). */
  async function visibleCount(articleId: Types.ObjectId): Promise<number> {
    const threads = await CommentModel.find({ articleId, parentId: null, state: 'published' }, { _id: 1 }).lean<
      Pick<CommentDoc, '_id'>[]
    >();
    if (threads.length === 0) return 0;
    const replies = await CommentModel.countDocuments({ parentId: { $in: threads.map((t) => t._id) }, state: 'published' });
    return threads.length + replies;
  }

  async function threadsOf(docs: CommentDoc[]): Promise<CommentThread[]> {
    const replyPages = await Promise.all(
      docs.map(async (d) => {
        const filter = { parentId: d._id, state: 'published' as const };
        const [first, count] = await Promise.all([
          CommentModel.find(filter).sort({ _id: 1 }).limit(REPLIES_PER_THREAD).lean<CommentDoc[]>(),
          CommentModel.countDocuments(filter),
        ]);
        return { first, count };
      }),
    );
    const all = await views([...docs, ...replyPages.flatMap((p) => p.first)]);
    const byId = new Map(all.map((v) => [v.id, v]));
    return docs.map((d, i) => ({
      ...byId.get(d._id.toHexString())!,
      replies: replyPages[i]!.first.map((r) => byId.get(r._id.toHexString())!),
      replyCount: replyPages[i]!.count,
    }));
  }

  return {
    /** Published threads of a published article, newest first (keyset by id: inserts never shift a page). */
    async list(articleId: string, { cursor, limit }: CommentListQuery): Promise<CommentListResponse> {
      await newsroom.getArticle(articleId);
      const article = oid(articleId);
      const [{ docs, nextCursor }, total] = await Promise.all([
        pageByIdDesc(CommentModel, { articleId: article, parentId: null, state: 'published' }, { cursor, limit }),
        visibleCount(article),
      ]);
      return { items: await threadsOf(docs), nextCursor, total };
    },

    /** Published replies of a published top-level comment, oldest first. */
    async replies(commentId: string, { cursor, limit }: CommentListQuery): Promise<ReplyListResponse> {
      const parent = await mustFindComment(commentId, ['published']);
      if (parent.parentId) throw new AppError('COMMENT_NOT_FOUND');
      const docs = await CommentModel.find({ parentId: parent._id, state: 'published', ...(cursor ? { _id: { $gt: oid(cursor) } } : {}) })
        .sort({ _id: 1 })
        .limit(limit + 1)
        .lean<CommentDoc[]>();
      const page = docs.slice(0, limit);
      return { items: await views(page), nextCursor: docs.length > limit ? (page.at(-1)?._id.toHexString() ?? null) : null };
    },

    /**
     * A comment or a reply. Shown at once, or held for an editor when the article's column (or the global
     * setting) requires approval or WeChat asks for a human look; editors' own comments are not held for approval.
     */
    async create(actor: Actor, articleId: string, input: CreateCommentBody): Promise<CreateCommentResponse> {
      const article = await newsroom.getArticle(articleId);
      let parent: CommentDoc | null = null;
      if (input.parentId) {
        parent = await CommentModel.findOne({ _id: input.parentId, articleId: oid(articleId), state: 'published' }).lean<CommentDoc>();
        if (!parent) throw new AppError('COMMENT_NOT_FOUND', { message: '要回复的评论不存在或已删除' });
      }
      const verdict = await checkText(actor.id, input.text);
      const holdReason =
        verdict.suggest === 'review'
          ? ('content_review' as const)
          : approvalRequired(await settings.current(), article.column) && !can(actor, { role: 'editor' })
            ? ('approval' as const)
            : undefined;
      const now = clock.now();
      const created = await CommentModel.create({
        articleId: oid(articleId),
        articleTitle: article.title,
        articleColumn: article.column,
        // One level of replies: a reply to a reply is filed under the thread and names whom it answers.
        parentId: parent ? (parent.parentId ?? parent._id) : null,
        ...(parent?.parentId ? { replyTo: { userId: parent.authorId, commentId: parent._id } } : {}),
        authorId: oid(actor.id),
        text: input.text,
        state: holdReason ? 'pending' : 'published',
        ...(holdReason ? { holdReason } : {}),
        safetyLabel: verdict.label,
        reportCount: 0,
        reportBaseline: 0,
        createdAt: now,
        updatedAt: now,
      });
      const doc = created.toObject() as CommentDoc;
      const [comment] = await views([doc]);
      await notices.replyPublished(doc, comment!);
      return { comment: comment!, held: holdReason !== undefined };
    },

    /** The author deletes their own comment (replies under it go with the thread). */
    async remove(actor: Actor, commentId: string): Promise<void> {
      const doc = await mustFindComment(commentId, ['published', 'pending', 'rejected']);
      if (doc.authorId.toHexString() !== actor.id) throw new AppError('FORBIDDEN');
      const res = await CommentModel.updateOne(
        { _id: doc._id, state: { $ne: 'deleted' } },
        { $set: { state: 'deleted', updatedAt: clock.now() }, $unset: { holdReason: 1 } },
      );
      if (res.matchedCount === 0) throw new AppError('COMMENT_NOT_FOUND');
    },
  };
}
