import type { ListMessagesQuery, MessagePage, MessageView, NotificationKind, Preferences } from '@shared/schemas/notifications';
import type { Clock } from '../../core/clock';
import { oid, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import { MessageModel, PreferenceModel, type MessageDoc, type PreferenceDoc } from './notifications.model';

const toView = (doc: MessageDoc): MessageView => ({
  id: doc._id.toHexString(),
  kind: doc.kind,
  title: doc.title,
  body: doc.body,
  link: doc.link,
  read: doc.readAt !== null,
  createdAt: doc.createdAt.toISOString(),
});

/** The message centre in 我的: a user's own in-app messages (another user's answer 404), read marks, muted kinds. */
export function createMessageCentre({ clock }: { clock: Clock }) {
  /** Indexed count of unread, listed messages ({userId, muted, readAt}). */
  const unreadOf = (userId: string) => MessageModel.countDocuments({ userId: oid(userId), muted: false, readAt: null });

  return {
    unreadOf,

    async list(userId: string, { cursor, limit, kind }: ListMessagesQuery): Promise<MessagePage> {
      const filter = { userId: oid(userId), muted: false, ...(kind ? { kind } : {}) };
      const page = await pageByIdDesc(MessageModel, filter, { cursor, limit });
      return { items: page.docs.map(toView), nextCursor: page.nextCursor };
    },

    async markRead(userId: string, id: string): Promise<MessageView> {
      const filter = { _id: oid(id), userId: oid(userId), muted: false };
      const doc =
        (await MessageModel.findOneAndUpdate(
          { ...filter, readAt: null },
          { $set: { readAt: clock.now() } },
          { returnDocument: 'after' },
        ).lean<MessageDoc>()) ?? (await MessageModel.findOne(filter).lean<MessageDoc>());
      if (!doc) throw new AppError('MESSAGE_NOT_FOUND');
      return toView(doc);
    },

    async markAllRead(userId: string): Promise<{ marked: number; unread: number }> {
      const res = await MessageModel.updateMany({ userId: oid(userId), muted: false, readAt: null }, { $set: { readAt: clock.now() } });
      return { marked: res.modifiedCount, unread: await unreadOf(userId) };
    },

    async preferences(userId: string): Promise<Preferences> {
      const doc = await PreferenceModel.findById(oid(userId)).lean<PreferenceDoc>();
      return { muted: doc?.muted ?? [] };
    },

    async setPreferences(userId: string, { muted }: Preferences): Promise<Preferences> {
      await PreferenceModel.updateOne({ _id: oid(userId) }, { $set: { muted, updatedAt: clock.now() } }, { upsert: true });
      return { muted };
    },

    /** userId → the kinds they muted, for those of `userIds` who muted any (one query, for raiseMany). */
    async mutedAmong(userIds: readonly string[]): Promise<Map<string, Set<NotificationKind>>> {
      const docs = await PreferenceModel.find(
        { _id: { $in: [...new Set(userIds)].map(oid) }, 'muted.0': { $exists: true } },
        { muted: 1 },
      ).lean<Array<Pick<PreferenceDoc, '_id' | 'muted'>>>();
      return new Map(docs.map((d) => [d._id.toHexString(), new Set(d.muted)]));
    },

    async isMuted(userId: string, kind: NotificationKind): Promise<boolean> {
      return (await PreferenceModel.exists({ _id: oid(userId), muted: kind })) !== null;
    },
  };
}
export type MessageCentre = ReturnType<typeof createMessageCentre>;
