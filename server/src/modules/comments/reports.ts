import type { ReportCommentBody } from '@shared/schemas/comments';
import type { Actor } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { isDuplicateKey } from '../../core/db';
import { AppError } from '../../core/errors';
import type { CommentSettingsStore } from './comment-settings';
import { mustFindComment } from './comment-store';
import { CommentModel, CommentReportModel, type CommentDoc } from './comments.model';

/**
 * Report abuse: one report per person per comment (the unique index decides between concurrent reports);
 * when the reports since an editor last approved it reach the threshold, the comment leaves the page and
 * waits in the queue. The counter is one atomic increment and the take-down one conditional write, so
 * concurrent reports hide it exactly once.
 */
export function createReports({ clock, settings }: { clock: Clock; settings: Pick<CommentSettingsStore, 'current'> }) {
  return {
    async report(actor: Actor, commentId: string, input: ReportCommentBody): Promise<{ reported: true; hidden: boolean }> {
      const doc = await mustFindComment(commentId, ['published']);
      try {
        await CommentReportModel.create({
          commentId: doc._id,
          userId: actor.id,
          reason: input.reason,
          ...(input.note ? { note: input.note } : {}),
          at: clock.now(),
        });
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('COMMENT_ALREADY_REPORTED');
        throw err;
      }
      const counted = await CommentModel.findOneAndUpdate(
        { _id: doc._id },
        { $inc: { reportCount: 1 } },
        { returnDocument: 'after', lean: true },
      );
      const { reportThreshold } = await settings.current();
      if (!counted || counted.reportCount - (counted as CommentDoc).reportBaseline < reportThreshold)
        return { reported: true, hidden: false };
      const res = await CommentModel.updateOne(
        { _id: doc._id, state: 'published' },
        { $set: { state: 'pending', holdReason: 'reports', updatedAt: clock.now() } },
      );
      return { reported: true, hidden: res.modifiedCount === 1 };
    },
  };
}
