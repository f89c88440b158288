/** The author's side: drafts, edits, their own list, and filing a piece (content check, then into review). */
import type { QueryFilter } from 'mongoose';
import type { SaveSubmissionBody, SubmissionState, SubmissionView } from '@shared/schemas/newsroom';
import { authorize } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { ContentSuggest, WechatClient } from '../../core/wechat';
import { circleManager, type CirclesService } from '../circles';
import type { StorageService, StoredImage } from '../storage';
import type { UsersService } from '../users';
import { checkAssignment } from './assignments';
import { checkContent, refuseRisky } from './content-safety';
import { EDITABLE, filedState, missingForSubmit, mustAllow, stateConflict } from './submission-rules';
import { fieldsOf, mustFindSubmission, type Actor, type SubmissionStore } from './submission-store';
import { AssignmentModel, SubmissionModel, type SubmissionDoc } from './submissions.model';

export interface FilingDeps {
  clock: Clock;
  wechat: Pick<WechatClient, 'msgSecCheck'>;
  users: Pick<UsersService, 'openidOf'>;
  circles: Pick<CirclesService, 'channelOf'>;
  storage: Pick<StorageService, 'imagesOf' | 'images'>;
  store: SubmissionStore;
}

export function createFiling({ clock, wechat, users, circles, storage, store }: FilingDeps) {
  const { nameOf, toView, page, transition } = store;

  /** Text through msgSecCheck and images by their pushed verdicts: risky → refused; review → flagged for the editor. */
  async function safetyCheck(
    doc: SubmissionDoc,
    images: StoredImage[],
  ): Promise<{ textSafety: ContentSuggest; textLabel: number; flagged: boolean }> {
    const openid = await users.openidOf(doc.authorId.toHexString());
    const verdict = await checkContent(wechat, { openid, title: doc.title, content: doc.body, images });
    const { textSafety, textLabel, flagged } = verdict;
    if (textSafety === 'risky') await SubmissionModel.updateOne({ _id: doc._id }, { $set: { textSafety, textLabel } });
    refuseRisky(verdict);
    return { textSafety, textLabel, flagged };
  }

  return {
    /** A new draft. Correspondents and unit channel admins file pieces. */
    async create(actor: Actor, body: SaveSubmissionBody): Promise<SubmissionView> {
      const channelId = await circles.channelOf(actor.id);
      if (!channelId) authorize(actor, { role: 'correspondent' });
      await storage.imagesOf(actor.id, body.imageIds);
      await checkAssignment(actor, body.assignmentId);
      // The circle comes from the correspondent role's scope (granted when a circle approves them).
      const circleId = actor.roles.find((g) => g.role === 'correspondent' && g.scope?.type === 'circle')?.scope?.id ?? null;
      const now = clock.now();
      const name = await nameOf(actor);
      const created = await SubmissionModel.create({
        ...fieldsOf(body),
        authorId: oid(actor.id),
        authorName: name,
        ...(circleId ? { circleId: oid(circleId) } : {}),
        ...(channelId ? { channelId: oid(channelId) } : {}),
        lane: channelId ? 'channel' : 'standard',
        state: 'draft',
        textSafety: 'pending',
        flagged: false,
        pointsAwarded: 0,
        timeline: [{ action: 'save', to: 'draft', by: oid(actor.id), byName: name, at: now }],
        stateChangedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      return toView(created.toObject() as SubmissionDoc);
    },

    /** Edits a draft or a returned piece (its author only). */
    async update(actor: Actor, id: string, body: SaveSubmissionBody): Promise<SubmissionView> {
      const doc = await mustFindSubmission(id);
      if (doc.authorId.toHexString() !== actor.id) throw new AppError('FORBIDDEN');
      if (!EDITABLE.includes(doc.state)) throw stateConflict(doc.state, 'save');
      await storage.imagesOf(actor.id, body.imageIds);
      await checkAssignment(actor, body.assignmentId);
      const updated = await SubmissionModel.findOneAndUpdate(
        { _id: id, state: { $in: EDITABLE } },
        { $set: { ...fieldsOf(body), textSafety: 'pending', updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      if (!updated) throw stateConflict((await mustFindSubmission(id)).state, 'save');
      return toView(updated as SubmissionDoc);
    },

    /** The author, the editorial team, and the leaders of the piece's circle may see it. */
    async get(actor: Actor, id: string): Promise<SubmissionView> {
      const doc = await mustFindSubmission(id);
      if (doc.authorId.toHexString() !== actor.id) {
        authorize(actor, doc.circleId ? circleManager(doc.circleId.toHexString()) : { role: 'editor' });
      }
      return toView(doc);
    },

    async mine(actor: Actor, query: { state?: SubmissionState; cursor?: string; limit: number }) {
      const filter: QueryFilter<SubmissionDoc> = { authorId: oid(actor.id) };
      if (query.state) filter.state = query.state;
      if (query.cursor) filter._id = { $lt: oid(query.cursor) };
      return page(filter, query.limit);
    },

    /** Files a draft or a returned piece: complete, through the content check, then to the circle leader or the editors. */
    async submit(actor: Actor, id: string): Promise<SubmissionView> {
      const doc = await mustFindSubmission(id);
      if (doc.authorId.toHexString() !== actor.id) throw new AppError('FORBIDDEN');
      mustAllow('submit', doc.state);
      const missing = missingForSubmit(doc);
      if (missing.length > 0)
        throw new AppError('SUBMISSION_INCOMPLETE', { message: '请填写正文、选择版权授权方式并确认原创声明', details: { missing } });
      const images = await storage.images(doc.imageIds.map((i) => i.toHexString()));
      const safety = await safetyCheck(doc, images);
      const to = filedState({ lane: doc.lane, hasCircle: Boolean(doc.circleId) });
      const now = clock.now();
      const updated = await transition(
        doc,
        'submit',
        to,
        { id: actor.id, name: await nameOf(actor) },
        { set: { ...safety, submittedAt: now }, unset: ['claimedBy'] },
      );
      if (doc.assignmentId) {
        await AssignmentModel.updateOne(
          { _id: doc.assignmentId, state: { $in: ['accepted', 'filed'] } },
          { $set: { state: 'filed', submissionId: doc._id } },
        );
      }
      return toView(updated);
    },
  };
}
