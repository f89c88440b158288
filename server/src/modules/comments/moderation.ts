/** The editors' side: the queue of held comments, approve, reject with a reason (both audited). */
import type { ModerationItem, ModerationQueueQuery, ModerationQueueResponse } from '@shared/schemas/comments';
import { authorize, type Actor } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import type { AuditService } from '../audit';
import { mustFindComment, type CommentViews } from './comment-store';
import { CommentModel, type CommentDoc } from './comments.model';
import type { ReplyNotices } from './reply-notices';

export type ModeratedComment = ModerationItem & { rejectReason: string | null };

export function createModeration({
  clock,
  audit,
  views,
  notices,
}: {
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  views: CommentViews;
  notices: ReplyNotices;
}) {
  async function items(docs: CommentDoc[]): Promise<ModeratedComment[]> {
    const base = await views(docs);
    return docs.map((d, i) => ({
      ...base[i]!,
      article: { id: d.articleId.toHexString(), title: d.articleTitle, column: d.articleColumn },
      holdReason: d.holdReason ?? null,
      safetyLabel: d.safetyLabel,
      reportCount: d.reportCount,
      rejectReason: d.rejectReason ?? null,
    }));
  }

  async function decide(
    actor: Actor,
    id: string,
    to: 'published' | 'rejected',
    from: readonly CommentDoc['state'][],
    reason?: string,
  ): Promise<ModeratedComment> {
    authorize(actor, { role: 'editor' });
    const doc = await mustFindComment(id);
    if (!from.includes(doc.state)) throw new AppError('COMMENT_STATE_CONFLICT', { details: { state: doc.state } });
    const now = clock.now();
    const updated = await CommentModel.findOneAndUpdate(
      { _id: doc._id, state: doc.state },
      {
        $set: {
          state: to,
          moderatedBy: oid(actor.id),
          moderatedAt: now,
          updatedAt: now,
          ...(to === 'published' ? { reportBaseline: doc.reportCount } : { rejectReason: reason }),
        },
        $unset: { holdReason: 1 },
      },
      { returnDocument: 'after', lean: true },
    );
    // Another editor decided it in between.
    if (!updated) throw new AppError('COMMENT_STATE_CONFLICT');
    await audit.record({
      actorId: actor.id,
      action: to === 'published' ? 'comment.approve' : 'comment.reject',
      target: { type: 'comment', id },
      details: { from: doc.state, holdReason: doc.holdReason ?? null, ...(reason ? { reason } : {}) },
      requestId: actor.requestId,
    });
    const [item] = await items([{ ...(updated as CommentDoc), holdReason: doc.holdReason }]);
    // A held reply reaches the person it answers only now, when readers can see it.
    if (to === 'published') await notices.replyPublished(updated as CommentDoc, item!);
    return item!;
  }

  return {
    /** Held comments, newest first (keyset by id: new arrivals and decisions never make a page skip one). */
    async queue(actor: Actor, { reason, cursor, limit }: ModerationQueueQuery): Promise<ModerationQueueResponse> {
      authorize(actor, { role: 'editor' });
      const { docs, nextCursor } = await pageByIdDesc(
        CommentModel,
        { state: 'pending', ...(reason ? { holdReason: reason } : {}) },
        { cursor, limit },
      );
      const page = await items(docs);
      return { items: page.map(({ rejectReason: _r, ...item }) => item), nextCursor };
    },

    /** A held comment goes up; reports before now no longer count towards hiding it. */
    approve(actor: Actor, id: string): Promise<ModeratedComment> {
      return decide(actor, id, 'published', ['pending']);
    },

    /** Held or already shown: taken down with a reason. */
    reject(actor: Actor, id: string, reason: string): Promise<ModeratedComment> {
      return decide(actor, id, 'rejected', ['pending', 'published'], reason);
    },
  };
}
