import type { ClientSession, Types } from 'mongoose';
import type { ExpiringSoonResponse } from '@shared/schemas/points';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { DAY_MS, shanghaiDay } from '../../core/time';
import type { WechatClient } from '../../core/wechat';
import { expireLapsedOf } from './ledger-entries';
import { PointsEntryModel, type PointsEntryDoc } from './points.model';

/** Lapsing points: what is about to lapse (the user's view, the 7-day notice) and the expiry job's writes. */

/** Users hear about lapsing points this long ahead (subscribe message) and see them as "expiring soon". */
export const EXPIRY_NOTICE_DAYS = 7;

export interface PointsExpiryDeps {
  clock: Clock;
  logger: Logger;
  wechat: Pick<WechatClient, 'sendSubscribeMessage'>;
  users: { openidOf(id: string): Promise<string | null> };
  expiryTemplateId: string;
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
        const openid = await deps.users.openidOf(userId).catch(() => null);
        const total = userLots.reduce((s, l) => s + l.remaining!, 0);
        if (openid) {
          try {
            await deps.wechat.sendSubscribeMessage({
              touser: openid,
              templateId: deps.expiryTemplateId,
              page: 'subpackages/points/pages/mine/index',
              data: { thing1: '积分即将过期', number2: String(total), date3: shanghaiDay(userLots[0]!.expiresAt!) },
            });
            users += 1;
          } catch (err) {
            // Refused (no subscription left) is final for these lots; anything else retries next run.
            if (!(err instanceof AppError && err.code === 'WECHAT_SUBSCRIPTION_REFUSED')) {
              deps.logger.warn({ err, userId }, 'points expiry notice failed; will retry');
              continue;
            }
          }
        }
        await PointsEntryModel.updateMany({ _id: { $in: userLots.map((l) => l._id) } }, { $set: { noticeSentAt: now } });
        lots += userLots.length;
      }
      return { users, lots };
    },
  };
}
