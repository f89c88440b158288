import type { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { NotificationKind, TemplateKey } from '@shared/schemas/notifications';
import type { NotificationsConfig } from '../../config';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, oid } from '../../core/db';
import type { Logger } from '../../core/logger';
import { DAY_MS, shanghaiDay } from '../../core/time';
import { formatSubscribeValue, subscribeValueProblem, type SubscribeValue, type WechatClient } from '../../core/wechat';
import type { UsersService } from '../users';
import { createConsent } from './consent';
import { createMessageCentre } from './messages';
import { MessageModel, OutboxModel, type MessageDoc, type OutboxDoc } from './notifications.model';
import { createOutbox } from './outbox';
import type { Templates } from './templates';

/** A notice for one person: always an in-app message; a subscribe message too when they consented. */
export interface RaiseInput {
  userId: string;
  kind: NotificationKind;
  /** De-duplication key, unique per user: raising the same key again notifies nobody. */
  key: string;
  title: string;
  body: string;
  /** The mini-program page (with its query) the message opens; also the subscribe message's page. */
  link?: string | null;
  subscribe?: {
    templateKey: TemplateKey;
    /** Our field names (see templates.ts) → values; written per the keyword's type (thing clipped, time in Shanghai…). */
    data: Readonly<Record<string, SubscribeValue | undefined>>;
  };
}

/** What became of a raise: the message (new or the earlier one) and the subscribe message's state, if any. */
export interface RaiseResult {
  messageId: string;
  /** false: the key was raised before; nothing new was stored or sent. */
  created: boolean;
  subscribe: OutboxDoc['status'] | null;
}

export interface NotificationsDeps {
  clock: Clock;
  logger: Logger;
  redis: Redis;
  config: NotificationsConfig;
  templates: Templates;
  wechat: Pick<WechatClient, 'sendSubscribeMessage'>;
  users: Pick<UsersService, 'openidOf'>;
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;

/**
 * One outbox for every module's notices. `raise` stores the in-app message (unique per user and key), then — when a
 * subscribe message is asked for — an outbox row, and makes its first delivery attempt at once; retries are the
 * notifications-outbox job's (`deliverDue`).
 */
export function createNotificationsService(deps: NotificationsDeps) {
  const { clock, logger, redis, config, templates } = deps;
  const knownTemplateIds = new Set(Object.values(templates).map((t) => t.id));
  const consent = createConsent({ clock, knownTemplateIds });
  const centre = createMessageCentre({ clock });
  const outbox = createOutbox({ clock, logger, config, wechat: deps.wechat, users: deps.users, consent });

  /** Keyword → value for WeChat, or the first problem (a missing field, a value its type refuses). */
  function subscribeData(input: NonNullable<RaiseInput['subscribe']>): { data: Record<string, string> } | { problem: string } {
    const { fields } = templates[input.templateKey];
    const data: Record<string, string> = {};
    for (const [field, value] of Object.entries(input.data)) {
      if (value === undefined) continue;
      const keyword = fields[field];
      if (!keyword) return { problem: `invalid_data: ${input.templateKey} has no field ${field}` };
      const written = formatSubscribeValue(keyword, value);
      const problem = subscribeValueProblem(keyword, written);
      if (problem) return { problem: `invalid_data: ${problem}` };
      data[keyword] = written;
    }
    return Object.keys(data).length > 0 ? { data } : { problem: 'invalid_data: no fields' };
  }

  /** Counts a subscribe message against the user's daily allowance for the kind: false when it is spent. */
  async function withinDailyLimit(userId: string, kind: NotificationKind, day: string): Promise<boolean> {
    const key = `notifications:daily:${day}:${kind}:${userId}`;
    const [[, count]] = (await redis
      .multi()
      .incr(key)
      .pexpire(key, 2 * DAY_MS)
      .exec()) as [[Error | null, number], unknown];
    return count <= config.dailyLimitPerKind;
  }

  async function storeMessage(input: RaiseInput, now: Date): Promise<{ doc: MessageDoc; created: boolean }> {
    const muted = await centre.isMuted(input.userId, input.kind);
    try {
      const created = await MessageModel.create({
        userId: oid(input.userId),
        kind: input.kind,
        key: input.key,
        title: input.title,
        body: input.body,
        link: input.link ?? null,
        muted,
        readAt: null,
        createdAt: now,
      });
      return { doc: created.toObject() as MessageDoc, created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const doc = await MessageModel.findOne({ userId: oid(input.userId), key: input.key }).lean<MessageDoc>();
      if (!doc) throw err;
      return { doc, created: false };
    }
  }

  /**
   * The message's outbox row, once. Also on a repeated raise: a first raise that died between storing the message
   * and its row is completed by the retry, and a row that exists already is left alone.
   */
  async function enqueue(
    input: RaiseInput,
    message: MessageDoc,
    now: Date,
  ): Promise<{ id: Types.ObjectId; status: OutboxDoc['status'] } | null> {
    const existing = await OutboxModel.findOne({ messageId: message._id }, { status: 1 }).lean<Pick<OutboxDoc, '_id' | 'status'>>();
    if (existing) return null;
    const sub = input.subscribe!;
    const template = templates[sub.templateKey];
    const day = shanghaiDay(now);
    const built = subscribeData(sub);
    let reason: string | null = null;
    if ('problem' in built) {
      reason = built.problem;
      logger.warn({ templateKey: sub.templateKey, key: input.key, reason }, 'subscribe message not queued: bad data');
    } else if (!(await withinDailyLimit(input.userId, input.kind, day))) reason = 'daily_limit';
    try {
      const row = await OutboxModel.create({
        messageId: message._id,
        userId: oid(input.userId),
        kind: input.kind,
        templateKey: sub.templateKey,
        templateId: template.id,
        page: input.link ?? null,
        data: 'data' in built ? built.data : {},
        status: reason ? 'dropped' : 'pending',
        attempts: 0,
        nextAttemptAt: now,
        leaseUntil: null,
        consentUsed: false,
        reason,
        lastError: null,
        day,
        createdAt: now,
        sentAt: null,
      });
      return { id: row._id, status: row.status };
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
  }

  /**
   * Raises a notice (see RaiseInput). Never throws for WeChat's sake: a refused or failed subscribe message is
   * the outbox's business, recorded on its row; the in-app message stands either way.
   */
  async function raise(input: RaiseInput): Promise<RaiseResult> {
    const now = clock.now();
    const { doc, created } = await storeMessage(input, now);
    let subscribe: RaiseResult['subscribe'] = null;
    if (input.subscribe) {
      const row = await enqueue(input, doc, now);
      if (row) subscribe = row.status === 'pending' ? ((await outbox.deliver(row.id)) ?? 'pending') : row.status;
    }
    return { messageId: doc._id.toHexString(), created, subscribe };
  }

  return {
    raise,

    /** Raises the same notice for several people, one after another (each its own key). */
    async raiseEach(inputs: Iterable<RaiseInput>): Promise<RaiseResult[]> {
      const results: RaiseResult[] = [];
      for (const input of inputs) {
        try {
          results.push(await raise(input));
        } catch (err) {
          logger.warn({ err, userId: input.userId, key: input.key }, 'notice not raised');
        }
      }
      return results;
    },

    deliverDue: outbox.deliverDue,
    consent,
    centre,
    /** The template ids the mini-program asks consent for, by our key. */
    templateIds(): Record<string, string> {
      return Object.fromEntries(Object.entries(templates).map(([key, t]) => [key, t.id]));
    },
  };
}
