import type { PointsService } from '../points';
import type { ContributionRewards } from './editorial';
import { contributionPoints } from './submission-rules';

/** Contribution points from the ledger, once per approved submission (its idempotency key). */
export function contributionRewards(points: Pick<PointsService, 'rules' | 'earn'>): ContributionRewards {
  return {
    async rewardApproval({ userId, submissionId, grade, title }) {
      const rule = (await points.rules()).rules.find((r) => r.source === 'contribution');
      const amount = contributionPoints(rule?.amount ?? 0, grade);
      if (amount <= 0) return 0;
      const result = await points.earn({
        userId,
        source: 'contribution',
        amount,
        reason: `稿件《${title}》被采用（${grade} 级）`,
        ref: { type: 'submission', id: submissionId },
        idempotencyKey: `contribution:${submissionId}`,
      });
      return result.status === 'credited' ? result.amount : 0;
    },
  };
}
