/** How cases come in: a citizen posts one, or staff type one in from another channel. Both wait for triage. */
import { CASE_SOURCE_LABELS, type CaseView, type IntakeCaseBody, type PostCaseBody } from '@shared/schemas/wenzheng';
import { authorize, type Actor } from '../../core/auth';
import { oid } from '../../core/db';
import { ANONYMOUS_NAME, CENTRE } from './event-authors';
import type { WenzhengParts } from './parts';
import { CaseModel, type CaseDoc, type CaseEventDoc } from './wenzheng.model';

/** What a posted and a typed-in case both carry: the question itself, waiting for triage. */
type CaseBody = Pick<PostCaseBody, 'category' | 'title' | 'text' | 'imageIds' | 'place' | 'visibility'>;
/** The first event's own part (who, under which label, and its data). */
type FirstEvent = Pick<CaseEventDoc, 'type' | 'byName' | 'byLabel' | 'data'>;

export function createIntake({ clock, wechat, users, storage, safety, views, byOf }: WenzhengParts) {
  /** Stores a new pending case with its first event and answers it as `actor` sees it. */
  async function create(actor: Actor, body: CaseBody, fields: Partial<CaseDoc>, first: FirstEvent): Promise<CaseView> {
    const now = clock.now();
    const event: CaseEventDoc = { seq: 0, at: now, by: oid(actor.id), to: 'pending', noteAudience: 'staff', ...first };
    const created = await CaseModel.create({
      ...fields,
      category: body.category,
      title: body.title,
      text: body.text,
      imageIds: body.imageIds.map(oid),
      ...(body.place ? { place: body.place } : {}),
      visibility: body.visibility,
      published: false,
      state: 'pending',
      events: [event],
      createdAt: now,
      updatedAt: now,
    });
    return views.viewFor(actor, created.toObject() as CaseDoc);
  }

  return {
    /** A citizen asks. Text through WeChat's check (risky → refused; review → flagged for the editor). */
    async post(actor: Actor, body: PostCaseBody): Promise<CaseView> {
      const images = await storage.imagesOf(actor.id, body.imageIds);
      const verdict = await safety.checkContent(wechat, {
        openid: await users.openidOf(actor.id),
        title: body.title,
        content: body.text,
        images,
      });
      safety.refuseRisky(verdict);
      const name = (await users.getView(actor.id)).nickname;
      return create(
        actor,
        body,
        {
          posterId: oid(actor.id),
          posterName: name,
          anonymous: body.anonymous,
          followers: [oid(actor.id)],
          source: 'miniprogram',
          flagged: verdict.flagged || verdict.pendingImageIds.length > 0,
        },
        {
          type: 'posted',
          byName: name,
          byLabel: body.anonymous ? ANONYMOUS_NAME : name,
          data: { source: 'miniprogram', category: body.category, textSafety: verdict.textSafety },
        },
      );
    },

    /** Staff type in a case from the hotline, a mailbox, a tip-off, 12345…: the same queue, its source recorded. */
    async intake(actor: Actor, body: IntakeCaseBody): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      await storage.imagesOf(actor.id, body.imageIds);
      const by = await byOf(actor, CENTRE);
      return create(
        actor,
        body,
        {
          posterName: `${CASE_SOURCE_LABELS[body.source]}群众`,
          anonymous: body.anonymous,
          followers: [],
          source: body.source,
          ...(body.sourceRef ? { sourceRef: body.sourceRef } : {}),
          ...(body.contactName ? { contactName: body.contactName } : {}),
          ...(body.contactPhone ? { contactPhone: body.contactPhone } : {}),
          enteredBy: oid(actor.id),
          flagged: false,
        },
        {
          type: 'intake',
          byName: by.name,
          byLabel: CASE_SOURCE_LABELS[body.source],
          data: { source: body.source, category: body.category },
        },
      );
    },
  };
}
