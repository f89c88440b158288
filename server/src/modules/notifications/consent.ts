import type { SubscriptionsBody, SubscriptionsResponse } from '@shared/schemas/notifications';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, oid } from '../../core/db';
import { ConsentModel, type ConsentDoc } from './notifications.model';

/**
 * Consent to subscribe messages, the WeChat way: each `accept` the mini-program reports from
 * wx.requestSubscribeMessage allows one message of that template; a send uses one (atomically, so two
 * concurrent sends never share an acceptance).
 */
export function createConsent({ clock, knownTemplateIds }: { clock: Clock; knownTemplateIds: ReadonlySet<string> }) {
  async function unusedOf(userId: string): Promise<Record<string, number>> {
    const docs = await ConsentModel.find({ userId: oid(userId) }, { templateId: 1, unused: 1 }).lean<ConsentDoc[]>();
    const unused: Record<string, number> = {};
    for (const d of docs) if (knownTemplateIds.has(d.templateId)) unused[d.templateId] = d.unused;
    return unused;
  }

  async function accept(userId: string, templateId: string): Promise<void> {
    const update = { $inc: { unused: 1, accepted: 1 }, $set: { updatedAt: clock.now() } };
    try {
      await ConsentModel.updateOne({ userId: oid(userId), templateId }, update, { upsert: true });
    } catch (err) {
      // Two first acceptances at once: one upsert inserts, the other now finds the row.
      if (!isDuplicateKey(err)) throw err;
      await ConsentModel.updateOne({ userId: oid(userId), templateId }, update);
    }
  }

  return {
    unusedOf,

    /**
     * Records what requestSubscribeMessage answered. `accept` adds one use; `ban` (the user switched the template
     * off in WeChat's settings) clears what is left, since WeChat would refuse those sends; `reject` and `filter`
     * change nothing. Template ids this server never sends are ignored and listed.
     */
    async report(userId: string, { results }: SubscriptionsBody): Promise<SubscriptionsResponse> {
      const ignored: string[] = [];
      for (const [templateId, answer] of Object.entries(results)) {
        if (!knownTemplateIds.has(templateId)) {
          ignored.push(templateId);
          continue;
        }
        if (answer === 'accept') await accept(userId, templateId);
        else if (answer === 'ban') {
          await ConsentModel.updateOne({ userId: oid(userId), templateId }, { $set: { unused: 0, updatedAt: clock.now() } });
        }
      }
      return { unused: await unusedOf(userId), ignored };
    },

    /** Uses one acceptance if one is left (decrement-if-positive in one update): true when it did. */
    async use(userId: string, templateId: string): Promise<boolean> {
      const used = await ConsentModel.findOneAndUpdate(
        { userId: oid(userId), templateId, unused: { $gt: 0 } },
        { $inc: { unused: -1 }, $set: { updatedAt: clock.now() } },
        { projection: { _id: 1 } },
      ).lean();
      return used !== null;
    },

    /** Gives back an acceptance WeChat never used (the message was not sent). */
    async refund(userId: string, templateId: string): Promise<void> {
      await ConsentModel.updateOne({ userId: oid(userId), templateId }, { $inc: { unused: 1 }, $set: { updatedAt: clock.now() } });
    },
  };
}
export type Consent = ReturnType<typeof createConsent>;
