/** The approved pieces of a topic campaign (专题活动), read by the campaigns module for its page, figures and bonuses. */
import type { QueryFilter } from 'mongoose';
import { oid } from '../../core/db';
import { CAMPAIGN_COUNTED } from './submission-rules';
import type { SubmissionStore } from './submission-store';
import { SubmissionModel, type SubmissionDoc } from './submissions.model';

export function createCampaignPieces({ page }: Pick<SubmissionStore, 'page'>) {
  return {
    /** Approved (approved, scheduled or published) pieces carrying a campaign tag, newest first. */
    async campaignPieces(tag: string, query: { cursor?: string; limit: number }) {
      const filter: QueryFilter<SubmissionDoc> = { campaign: tag, state: { $in: [...CAMPAIGN_COUNTED] } };
      if (query.cursor) filter._id = { $lt: oid(query.cursor) };
      return page(filter, query.limit);
    },

    /** The approved pieces of a campaign tag in brief: for its figures (pieces, participants, reads) and bonuses. */
    async campaignTally(
      tag: string,
    ): Promise<Array<{ id: string; authorId: string; title: string; articleId: string | null; submittedAt: string | null }>> {
      const docs = await SubmissionModel.find(
        { campaign: tag, state: { $in: [...CAMPAIGN_COUNTED] } },
        { authorId: 1, title: 1, articleId: 1, submittedAt: 1 },
      )
        .limit(5000)
        .lean<Pick<SubmissionDoc, '_id' | 'authorId' | 'title' | 'articleId' | 'submittedAt'>[]>();
      return docs.map((d) => ({
        id: d._id.toHexString(),
        authorId: d.authorId.toHexString(),
        title: d.title,
        articleId: d.articleId?.toHexString() ?? null,
        submittedAt: d.submittedAt?.toISOString() ?? null,
      }));
    },
  };
}
