import { createHash } from 'node:crypto';
import type { ClientSession, Types } from 'mongoose';
import type { ExpiringSoonResponse } from '@shared/schemas/points';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import type { Logger } from '../../core/logger';
import { DAY_MS, shanghaiDay } from '../../core/time';
import type { NotificationsService } from '../notifications';
import { expireLapsedOf } from './ledger-entries';
import { PointsEntryModel, type PointsEntryDoc } from './points.model';

/** Lapsing points: what is about to lapse (the user's view, the 7-day notice) and the expiry job's writes. */

/** Users hear about lapsing points this long ahead (subscribe message) and see them as "expiring soon". */
export const EXPIRY_NOTICE_DAYS = 7;

export interface PointsExpiryDeps {
  clock: Clock;
  logger: Logger;
  notifications: Pick<NotificationsService, 'raise'>;
  /** Runs a ledger write for the user in its own transaction, frozen (points.service.ts). */
  frozenTx<T>(userId: string, fn: (session: ClientSession) => Promise<T>): Promise<T>;
}

export function createPointsExpiry(deps: PointsExpiryDeps) {
  const { clock } = deps;
  return {
    async expiringSoon(userId: string, days = EXPIRY_NOTICE_DAYS): Promise<ExpiringSoonResponse> {
      const until = new Date(clock.now().getTime() + days * DAY_MS);
      const lots = await PointsEntryModel.find({ userId: oid(userId), remaining: { $gt: 0 }, expiresAt: { $lte: until } })
        .sort({ expiresAt: 1, _id: 1 })
        .lean<PointsEntryDoc[]>();
      return {
        total: lots.reduce((s, l) => s + l.remaining!, 0),
        lots: lots.map((l) => ({
          entryId: l._id.toHexString(),
          remaining: l.remaining!,
          expiresAt: l.expiresAt!.toISOString(),
          reason: l.reason,
        })),
      };
    },

    async expireDue(): Promise<{ lots: number; points: number }> {
      const now = clock.now();
      const users = (await PointsEntryModel.distinct('userId', { remaining: { $gt: 0 }, expiresAt: { $lte: now } })) as Types.ObjectId[];
      let lots = 0;
      let points = 0;
      for (const userId of users) {
        const r = await deps.frozenTx(userId.toHexString(), (session) => expireLapsedOf(session, userId, now));
        lots += r.lots;
        points += r.points;
      }
      if (lots > 0) deps.logger.info({ lots, points, users: users.length }, 'points expired');
      return { lots, points };
    },

    async notifyExpiring(): Promise<{ users: number; lots: number }> {
      const now = clock.now();
      const until = new Date(now.getTime() + EXPIRY_NOTICE_DAYS * DAY_MS);
      const due = await PointsEntryModel.find({
        remaining: { $gt: 0 },
        expiresAt: { $gt: now, $lte: until },
        noticeSentAt: { $exists: false },
      })
        .sort({ expiresAt: 1 })
        .lean<PointsEntryDoc[]>();
      const byUser = new Map<string, PointsEntryDoc[]>();
      for (const lot of due) byUser.set(lot.userId.toHexString(), [...(byUser.get(lot.userId.toHexString()) ?? []), lot]);
      let users = 0;
      let lots = 0;
      for (const [userId, userLots] of byUser) {
        const total = userLots.reduce((s, l) => s + l.remaining!, 0);
        const firstExpiry = userLots[0]!.expiresAt!;
        try {
          // Keyed by the lots, so a run that fails before marking them raises nothing twice when it runs again.
          const { subscribe } = await deps.notifications.raise({
            userId,
            kind: 'points',
            key: `points:expiry:${createHash('sha1')
              .update(userLots.map((l) => l._id.toHexString()).join(','))
              .digest('hex')}`,
            title: '积分即将过期',
            body: `你有 ${total} 积分将于 ${shanghaiDay(firstExpiry)} 过期，记得去积分商城使用`,
            link: 'subpackages/points/pages/mine/index',
            subscribe: { templateKey: 'pointsExpiry', data: { title: '积分即将过期', points: total, date: firstExpiry } },
          });
          if (subscribe === 'sent') users += 1;
        } catch (err) {
          deps.logger.warn({ err, userId }, 'points expiry notice failed; will retry');
          continue;
        }
        await PointsEntryModel.updateMany({ _id: { $in: userLots.map((l) => l._id) } }, { $set: { noticeSentAt: now } });
        lots += userLots.length;
      }
      return { users, lots };
    },
  };
}
