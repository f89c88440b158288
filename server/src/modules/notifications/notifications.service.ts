import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { NotificationKind, TemplateKey } from '@shared/schemas/notifications';
import type { NotificationsConfig } from '../../config';
import type { Clock } from '../../core/clock';
import { duplicateKeysOnly, isDuplicateKey, oid } from '../../core/db';
import type { Logger } from '../../core/logger';
import { DAY_MS, shanghaiDay } from '../../core/time';
import { formatSubscribeValue, subscribeValueProblem, type SubscribeValue, type WechatClient } from '../../core/wechat';
import type { UsersService } from '../users';
import { createConsent } from './consent';
import { createMessageCentre } from './messages';
import { MessageModel, OutboxModel, type MessageDoc, type OutboxDoc } from './notifications.model';
import { createOutbox } from './outbox';
import { listOutbox } from './outbox-rows';
import { createTally, reasonKey } from './tally';
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

/** What became of a raiseMany: messages stored now and already there, and subscribe messages queued or dropped. */
export interface RaiseManyResult {
  created: number;
  duplicates: number;
  /** Outbox rows waiting for the notifications-outbox job. */
  queued: number;
  dropped: number;
}

/** Notices per insert in raiseMany. */
const RAISE_BATCH = 1000;
/** raiseMany sends at once when it queued this many or fewer; more are the outbox job's, paced. */
const INLINE_SENDS = 20;

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
  const tally = createTally({ clock, logger });
  const outbox = createOutbox({ clock, logger, config, wechat: deps.wechat, users: deps.users, consent, tally });

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

  /** The outbox row of `input`'s subscribe message (`reason` set: dropped, never sent), as created or inserted. */
  function outboxRow(
    input: RaiseInput,
    messageId: Types.ObjectId,
    built: { data: Record<string, string> } | { problem: string },
    reason: string | null,
    day: string,
    now: Date,
  ) {
    const templateKey = input.subscribe!.templateKey;
    return {
      messageId,
      userId: oid(input.userId),
      kind: input.kind,
      templateKey,
      templateId: templates[templateKey].id,
      page: input.link ?? null,
      data: 'data' in built ? built.data : {},
      status: reason ? ('dropped' as const) : ('pending' as const),
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      consentUsed: false,
      reason,
      lastError: null,
      day,
      createdAt: now,
      sentAt: null,
    } satisfies Omit<OutboxDoc, '_id' | 'data'> & { data: Record<string, string> };
  }

  /** The daily tally of one queued subscribe message (and its drop, with the reason, when `reason` is set). */
  function queuedEntry(day: string, kind: NotificationKind, reason: string | null) {
    return { day, kind, counts: { queued: 1, ...(reason ? { dropped: 1 } : {}) }, reasons: reason ? { [reasonKey(reason)]: 1 } : {} };
  }

  /** The in-app message of `input` (`muted`: the user has muted its kind), as created or inserted. */
  function messageFields(input: RaiseInput, muted: boolean, now: Date) {
    return {
      userId: oid(input.userId),
      kind: input.kind,
      key: input.key,
      title: input.title,
      body: input.body,
      link: input.link ?? null,
      muted,
      readAt: null,
      createdAt: now,
    };
  }

  async function storeMessage(input: RaiseInput, now: Date): Promise<{ doc: MessageDoc; created: boolean }> {
    const muted = await centre.isMuted(input.userId, input.kind);
    try {
      const created = await MessageModel.create(messageFields(input, muted, now));
      await tally.count(shanghaiDay(now), input.kind, 'inApp');
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
    const day = shanghaiDay(now);
    const built = subscribeData(sub);
    let reason: string | null = null;
    if ('problem' in built) {
      reason = built.problem;
      logger.warn({ templateKey: sub.templateKey, key: input.key, reason }, 'subscribe message not queued: bad data');
    } else if (!(await withinDailyLimit(input.userId, input.kind, day))) reason = 'daily_limit';
    try {
      const row = await OutboxModel.create(outboxRow(input, message._id, built, reason, day, now));
      await tally.addAll([queuedEntry(day, input.kind, reason)]);
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

  /** The daily allowance of many subscribe messages at once (one Redis round trip): true where still within it. */
  async function withinDailyLimits(items: ReadonlyArray<{ userId: string; kind: NotificationKind }>, day: string): Promise<boolean[]> {
    if (items.length === 0) return [];
    const multi = redis.multi();
    for (const { userId, kind } of items) {
      const key = `notifications:daily:${day}:${kind}:${userId}`;
      multi.incr(key).pexpire(key, 2 * DAY_MS);
    }
    const replies = (await multi.exec()) as Array<[Error | null, number]>;
    return items.map((_, i) => replies[2 * i]![1] <= config.dailyLimitPerKind);
  }

  /** Inserts unordered; a duplicate key is someone's earlier raise. Returns the indexes the unique index refused. */
  async function insertTolerant(collection: { insertMany(docs: object[], o: { ordered: false }): Promise<unknown> }, docs: object[]) {
    const refused = new Set<number>();
    if (docs.length === 0) return refused;
    try {
      await collection.insertMany(docs, { ordered: false });
    } catch (err) {
      // Anything but duplicates (a network error leaves no list): the caller retries the whole batch, which the
      // unique indexes make harmless.
      if (duplicateKeysOnly(err) === null) throw err;
      for (const w of (err as { writeErrors: Array<{ index: number }> }).writeErrors) refused.add(w.index);
    }
    return refused;
  }

  /** One batch of raiseMany: its messages in one insert, its outbox rows in another, counters in one bulk write. */
  async function raiseBatch(inputs: readonly RaiseInput[]): Promise<RaiseManyResult & { pending: Types.ObjectId[] }> {
    const now = clock.now();
    const day = shanghaiDay(now);
    const muted = await centre.mutedAmong(inputs.map((i) => i.userId));
    const docs = inputs.map((input) => ({
      _id: new Types.ObjectId(),
      ...messageFields(input, muted.get(input.userId)?.has(input.kind) ?? false, now),
    }));
    const duplicates = await insertTolerant(MessageModel.collection, docs);
    // The message each notice has: ours, or the one an earlier raise of the same key stored.
    const messageIds = docs.map((d) => d._id);
    if (duplicates.size > 0) {
      const dup = [...duplicates].map((i) => docs[i]!);
      const earlier = await MessageModel.find(
        { userId: { $in: dup.map((d) => d.userId) }, key: { $in: [...new Set(dup.map((d) => d.key))] } },
        { userId: 1, key: 1 },
      ).lean<Array<Pick<MessageDoc, '_id' | 'userId' | 'key'>>>();
      const byKey = new Map(earlier.map((m) => [`${m.userId.toHexString()}:${m.key}`, m._id]));
      for (const i of duplicates) messageIds[i] = byKey.get(`${inputs[i]!.userId}:${inputs[i]!.key}`) ?? messageIds[i]!;
    }
    // Outbox rows for those asking for a subscribe message, once per message: a repeated raise completes a row an
    // earlier one died before writing, and leaves an existing row alone.
    let wanted = inputs.map((input, i) => ({ input, i })).filter(({ input }) => input.subscribe);
    const dupWanted = wanted.filter(({ i }) => duplicates.has(i));
    if (dupWanted.length > 0) {
      const have = await OutboxModel.find({ messageId: { $in: dupWanted.map(({ i }) => messageIds[i]!) } }, { messageId: 1 }).lean<
        Array<Pick<OutboxDoc, 'messageId'>>
      >();
      const queued = new Set(have.map((r) => r.messageId.toHexString()));
      wanted = wanted.filter(({ i }) => !queued.has(messageIds[i]!.toHexString()));
    }
    const built = wanted.map(({ input }) => subscribeData(input.subscribe!));
    const limited = wanted.filter((_, j) => !('problem' in built[j]!));
    const within = await withinDailyLimits(
      limited.map(({ input }) => input),
      day,
    );
    const overLimit = new Set(limited.filter((_, j) => !within[j]).map(({ i }) => i));
    const rows = wanted.map(({ input, i }, j) => {
      const b = built[j]!;
      const reason = 'problem' in b ? b.problem : overLimit.has(i) ? 'daily_limit' : null;
      return { _id: new Types.ObjectId(), ...outboxRow(input, messageIds[i]!, b, reason, day, now) };
    });
    const rowDuplicates = await insertTolerant(OutboxModel.collection, rows);
    const stored = rows.filter((_, j) => !rowDuplicates.has(j));
    const entries = [
      ...docs.filter((_, i) => !duplicates.has(i)).map((d) => ({ day, kind: d.kind, counts: { inApp: 1 }, reasons: {} })),
      ...stored.map((r) => queuedEntry(day, r.kind, r.reason)),
    ];
    await tally.addAll(entries);
    const pending = stored.filter((r) => r.status === 'pending').map((r) => r._id);
    return {
      created: docs.length - duplicates.size,
      duplicates: duplicates.size,
      queued: pending.length,
      dropped: stored.length - pending.length,
      pending,
    };
  }

  return {
    raise,

    /**
     * Raises many notices at once (a campaign launch to every user): in-app messages in unordered batches of
     * RAISE_BATCH, de-duplicated by the `(userId, key)` unique index, so raising again stores nothing more; outbox
     * rows batched too, their subscribe messages left to the notifications-outbox job, which paces the sending
     * (WeChat's quotas), unless the whole raise queued at most INLINE_SENDS (a handful is sent at once, as `raise`
     * does). Throws when MongoDB fails mid-way; raising the same inputs again completes it without doubling.
     */
    async raiseMany(inputs: readonly RaiseInput[]): Promise<RaiseManyResult & { sent: number }> {
      const total: RaiseManyResult & { sent: number } = { created: 0, duplicates: 0, queued: 0, dropped: 0, sent: 0 };
      const pending: Types.ObjectId[] = [];
      for (let at = 0; at < inputs.length; at += RAISE_BATCH) {
        const r = await raiseBatch(inputs.slice(at, at + RAISE_BATCH));
        total.created += r.created;
        total.duplicates += r.duplicates;
        total.queued += r.queued;
        total.dropped += r.dropped;
        if (pending.length <= INLINE_SENDS) pending.push(...r.pending);
      }
      if (pending.length > INLINE_SENDS) return total;
      for (const id of pending) {
        const status = await outbox.deliver(id);
        if (status === 'sent' || status === 'dropped') {
          total.queued -= 1;
          total[status] += 1;
        }
      }
      return total;
    },

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
    /** The console's figures by day and kind (counters, see DailyTallyDoc). */
    stats: tally.stats,
    /** The console's outbox list (cursor-paged, by kind and outcome). */
    listOutbox,
    consent,
    centre,
    /** The template ids the mini-program asks consent for, by our key. */
    templateIds(): Record<string, string> {
      return Object.fromEntries(Object.entries(templates).map(([key, t]) => [key, t.id]));
    },
  };
}
