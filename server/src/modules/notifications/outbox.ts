import type { Types } from 'mongoose';
import type { NotificationsConfig } from '../../config';
import type { Clock } from '../../core/clock';
import { AppError, isAppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { WechatApiError, type WechatClient } from '../../core/wechat';
import type { UsersService } from '../users';
import type { Consent } from './consent';
import { OutboxModel, type OutboxDoc } from './notifications.model';
import { outcomeOfDrop, type Tally } from './tally';

/** How long a claimed row is one worker's before another may take it over (the first one died mid-send). */
const LEASE_MS = 2 * 60_000;

type Outcome = { kind: 'sent' } | { kind: 'retry'; error: string } | { kind: 'refused' } | { kind: 'permanent'; reason: string };

/** WeChat answers to a subscribe send, sorted: transient ones are retried with back-off, the rest end the row. */
export function classifySendError(err: unknown): Outcome {
  const api = err instanceof WechatApiError ? err : err instanceof AppError && err.cause instanceof WechatApiError ? err.cause : null;
  const errcode = api?.errcode;
  if (errcode === 43101 || (isAppError(err) && err.code === 'WECHAT_SUBSCRIPTION_REFUSED')) return { kind: 'refused' };
  // -1 system error, 45009 daily quota, 45011 minute quota, a timeout or network failure; a token WeChat rejected
  // even after the client renewed it once.
  if (isAppError(err) && (err.code === 'WECHAT_UNAVAILABLE' || err.code === 'WECHAT_RATE_LIMITED')) {
    return { kind: 'retry', error: errcode === undefined ? err.code : `errcode ${errcode}` };
  }
  if (errcode === 40001 || errcode === 42001) return { kind: 'retry', error: `errcode ${errcode}` };
  // 47003 bad data, 40003 bad openid, 40037 bad template, 41030 bad page…: sending again cannot succeed.
  if (errcode !== undefined) return { kind: 'permanent', reason: `errcode ${errcode}${errcode === 47003 ? ' invalid_data' : ''}` };
  // Not WeChat's answer (our database, a bug): try again later rather than lose the message.
  return { kind: 'retry', error: err instanceof Error ? err.message.slice(0, 200) : String(err) };
}

export interface OutboxDeps {
  clock: Clock;
  logger: Logger;
  config: NotificationsConfig;
  wechat: Pick<WechatClient, 'sendSubscribeMessage'>;
  users: Pick<UsersService, 'openidOf'>;
  consent: Consent;
  tally: Tally;
}

/** The durable outbox of subscribe messages: claims, sends, retries with back-off and drops with a reason. */
export function createOutbox({ clock, logger, config, wechat, users, consent, tally }: OutboxDeps) {
  async function finish(row: OutboxDoc, set: Partial<OutboxDoc>): Promise<void> {
    const res = await OutboxModel.updateOne({ _id: row._id, status: 'sending' }, { $set: { leaseUntil: null, ...set } });
    // Counted once: only the worker whose update ended the row moves the console's counters.
    if (res.modifiedCount !== 1) return;
    if (set.status === 'sent') await tally.count(row.day, row.kind, 'sent');
    else if (set.status === 'dropped') await tally.count(row.day, row.kind, outcomeOfDrop(set.reason ?? null), set.reason);
  }

  async function drop(row: OutboxDoc, reason: string, refund: boolean): Promise<void> {
    if (refund && row.consentUsed) await consent.refund(row.userId.toHexString(), row.templateId);
    await finish(row, { status: 'dropped', reason });
  }

  /** Claims a due row (pending and due, or sending with a lapsed lease): null when another worker has it or it is done. */
  async function claim(id: Types.ObjectId): Promise<OutboxDoc | null> {
    const now = clock.now();
    return OutboxModel.findOneAndUpdate(
      {
        _id: id,
        $or: [
          { status: 'pending', nextAttemptAt: { $lte: now } },
          { status: 'sending', leaseUntil: { $lt: now } },
        ],
      },
      { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + LEASE_MS) }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    ).lean<OutboxDoc>();
  }

  /** One delivery attempt of one row; returns its status afterwards ('sending' when another worker holds it). */
  async function deliver(id: Types.ObjectId): Promise<OutboxDoc['status'] | null> {
    const row = await claim(id);
    if (!row) return null;
    const userId = row.userId.toHexString();
    if (!row.consentUsed) {
      // Never sent without an unused acceptance: WeChat would refuse it (43101) and count it against us. Taken
      // before the row says so: a process dying in between loses that acceptance, never sends without one.
      if (!(await consent.use(userId, row.templateId))) {
        await drop(row, 'no_consent', false);
        return 'dropped';
      }
      row.consentUsed = true;
      await OutboxModel.updateOne({ _id: row._id }, { $set: { consentUsed: true } });
    }
    const openid = await users.openidOf(userId).catch(() => null);
    if (!openid) {
      await drop(row, 'no_openid', true);
      return 'dropped';
    }
    let outcome: Outcome;
    try {
      await wechat.sendSubscribeMessage({
        touser: openid,
        templateId: row.templateId,
        data: row.data,
        ...(row.page ? { page: row.page } : {}),
      });
      outcome = { kind: 'sent' };
    } catch (err) {
      outcome = classifySendError(err);
    }
    switch (outcome.kind) {
      case 'sent':
        await finish(row, { status: 'sent', sentAt: clock.now(), reason: null });
        return 'sent';
      case 'refused':
        // WeChat has no acceptance left for this user: ours was stale, and stays used.
        await drop(row, 'refused', false);
        return 'dropped';
      case 'permanent':
        logger.warn({ outboxId: row._id.toHexString(), templateKey: row.templateKey, reason: outcome.reason }, 'subscribe message dropped');
        await drop(row, outcome.reason, true);
        return 'dropped';
      case 'retry': {
        if (row.attempts >= config.maxAttempts) {
          logger.warn({ outboxId: row._id.toHexString(), attempts: row.attempts, error: outcome.error }, 'subscribe message given up');
          await drop(row, `gave_up after ${row.attempts} attempts: ${outcome.error}`, true);
          return 'dropped';
        }
        const backoff = config.retryBaseMs * 2 ** (row.attempts - 1);
        await finish(row, { status: 'pending', lastError: outcome.error, nextAttemptAt: new Date(clock.now().getTime() + backoff) });
        return 'pending';
      }
    }
  }

  return {
    deliver,

    /**
     * The outbox worker (the notifications-outbox job): every row due now — waiting for its retry, or claimed by
     * a worker that died — gets one attempt. Safe to run in several processes at once: each row is claimed.
     */
    async deliverDue(limit = 500): Promise<{ attempted: number; sent: number; dropped: number; pending: number }> {
      const now = clock.now();
      const due = await OutboxModel.find(
        {
          $or: [
            { status: 'pending', nextAttemptAt: { $lte: now } },
            { status: 'sending', leaseUntil: { $lt: now } },
          ],
        },
        { _id: 1 },
      )
        .sort({ nextAttemptAt: 1 })
        .limit(limit)
        .lean<Array<{ _id: Types.ObjectId }>>();
      const tally = { attempted: 0, sent: 0, dropped: 0, pending: 0 };
      for (const { _id } of due) {
        const status = await deliver(_id);
        if (!status) continue;
        tally.attempted += 1;
        if (status === 'sent' || status === 'dropped' || status === 'pending') tally[status] += 1;
      }
      return tally;
    },
  };
}
export type Outbox = ReturnType<typeof createOutbox>;
