/** The stored pieces every part of the submissions service looks up, pages, shows and moves between states. */
import type { QueryFilter } from 'mongoose';
import type { SaveSubmissionBody, SubmissionAction, SubmissionState, SubmissionView } from '@shared/schemas/newsroom';
import { can, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import type { StorageService } from '../storage';
import type { UsersService } from '../users';
import { mustAllow, stateConflict } from './submission-rules';
import { SubmissionModel, type SubmissionDoc, type TimelineDoc } from './submissions.model';

/** Someone acting on a piece: their roles decide what they may do. */
export type Actor = RoleHolder & { name?: string };

/** Who a timeline entry names: a person, or the system (id null) for scheduled and automatic steps. */
export interface ActingAs {
  id: string | null;
  name: string;
}

export const SYSTEM: ActingAs = { id: null, name: '系统' };

export async function mustFindSubmission(id: string): Promise<SubmissionDoc> {
  const doc = await SubmissionModel.findById(id).lean<SubmissionDoc>();
  if (!doc) throw new AppError('SUBMISSION_NOT_FOUND');
  return doc;
}

/** Reviewers never act on their own pieces, whatever roles they hold. */
export function notAuthor(doc: SubmissionDoc, actor: Actor): void {
  if (doc.authorId.toHexString() === actor.id) throw new AppError('SELF_REVIEW_FORBIDDEN');
}

/** The editor who claimed a piece is the one who decides it (admins may step in). */
export function mustHoldClaim(doc: SubmissionDoc, actor: Actor): void {
  if (doc.state === 'in_review' && doc.claimedBy?.toHexString() !== actor.id && !can(actor, { role: 'admin' })) {
    throw new AppError('SUBMISSION_CLAIMED', { details: { state: doc.state, claimedBy: doc.claimedBy?.toHexString() ?? null } });
  }
}

/** The stored fields a save sets from its body (absent optional fields stay as they are). */
export function fieldsOf(body: SaveSubmissionBody): Record<string, unknown> {
  const set: Record<string, unknown> = { title: body.title, imageIds: body.imageIds.map(oid) };
  for (const key of ['body', 'videoUrl', 'place', 'campaign', 'copyright', 'originalityStatement'] as const) {
    if (body[key] !== undefined) set[key] = body[key];
  }
  if (body.assignmentId !== undefined) set.assignmentId = body.assignmentId === null ? null : oid(body.assignmentId);
  return set;
}

export interface SubmissionStoreDeps {
  clock: Clock;
  users: Pick<UsersService, 'getView'>;
  storage: Pick<StorageService, 'images'>;
}

export type SubmissionStore = ReturnType<typeof createSubmissionStore>;

export function createSubmissionStore({ clock, users, storage }: SubmissionStoreDeps) {
  async function nameOf(actor: Actor): Promise<string> {
    return actor.name ?? (await users.getView(actor.id)).nickname;
  }

  async function toView(doc: SubmissionDoc): Promise<SubmissionView> {
    const images = await storage.images(doc.imageIds.map((id) => id.toHexString()));
    return {
      id: doc._id.toHexString(),
      authorId: doc.authorId.toHexString(),
      authorName: doc.authorName,
      circleId: doc.circleId?.toHexString() ?? null,
      channelId: doc.channelId?.toHexString() ?? null,
      title: doc.title,
      body: doc.body,
      images: images.map((i) => ({ id: i.id, url: i.url, safety: i.safety, label: i.label })),
      videoUrl: doc.videoUrl ?? null,
      place: doc.place ?? null,
      campaign: doc.campaign ?? null,
      copyright: doc.copyright ?? null,
      originalityStatement: doc.originalityStatement,
      assignmentId: doc.assignmentId?.toHexString() ?? null,
      state: doc.state,
      textSafety: doc.textSafety,
      flagged: doc.flagged,
      claimedBy: doc.claimedBy?.toHexString() ?? null,
      grade: doc.grade ?? null,
      column: doc.column ?? null,
      articleId: doc.articleId?.toHexString() ?? null,
      publishAt: doc.publishAt?.toISOString() ?? null,
      pointsAwarded: doc.pointsAwarded,
      timeline: doc.timeline.map((e) => ({
        action: e.action,
        from: e.from ?? null,
        to: e.to,
        by: e.by?.toHexString() ?? null,
        byName: e.byName,
        note: e.note ?? null,
        at: e.at.toISOString(),
      })),
      submittedAt: doc.submittedAt?.toISOString() ?? null,
      createdAt: doc.createdAt.toISOString(),
      updatedAt: doc.updatedAt.toISOString(),
    };
  }

  /** Newest first, by id; `nextCursor` is the last id shown when more follow. */
  async function page(filter: QueryFilter<SubmissionDoc>, limit: number) {
    const { docs, nextCursor } = await pageByIdDesc(SubmissionModel, filter, { limit });
    return { items: await Promise.all(docs.map(toView)), nextCursor };
  }

  /**
   * Moves a piece from one of the action's states to `to` in one conditional update, recording the
   * transition on the timeline. A concurrent transition makes the condition fail → 409 with the state now.
   */
  async function transition(
    doc: SubmissionDoc,
    action: Exclude<SubmissionAction, 'save'>,
    to: SubmissionState,
    by: ActingAs,
    options: { note?: string; set?: Record<string, unknown>; unset?: string[] } = {},
  ): Promise<SubmissionDoc> {
    mustAllow(action, doc.state);
    const now = clock.now();
    const entry: TimelineDoc = {
      action,
      from: doc.state,
      to,
      byName: by.name,
      at: now,
      ...(by.id ? { by: oid(by.id) } : {}),
      ...(options.note ? { note: options.note } : {}),
    };
    const update: Record<string, unknown> = {
      $set: { state: to, stateChangedAt: now, updatedAt: now, ...options.set },
      $push: { timeline: entry },
    };
    if (options.unset?.length) update.$unset = Object.fromEntries(options.unset.map((k) => [k, 1]));
    const updated = await SubmissionModel.findOneAndUpdate({ _id: doc._id, state: doc.state }, update, {
      returnDocument: 'after',
      lean: true,
    });
    if (!updated) {
      const current = await mustFindSubmission(doc._id.toHexString());
      throw stateConflict(current.state, action);
    }
    return updated as SubmissionDoc;
  }

  return { nameOf, toView, page, transition };
}
