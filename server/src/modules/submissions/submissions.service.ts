import type { QueryFilter } from 'mongoose';
import {
  SUBMISSION_STATE_LABELS,
  type ApproveBody,
  type AssignmentView,
  type Grade,
  type QueueQuery,
  type SaveSubmissionBody,
  type SubmissionAction,
  type SubmissionState,
  type SubmissionView,
} from '@shared/schemas/newsroom';
import { objectIdSchema } from '@shared/schemas/users';
import { authorize, can, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { ContentSuggest, WechatClient } from '../../core/wechat';
import { circleManager, type CirclesService } from '../circles';
import type { NewsroomService } from '../newsroom';
import type { StorageService, StoredImage } from '../storage';
import type { UsersService } from '../users';
import { checkContent, refuseRisky } from './content-safety';
import { AssignmentModel, SubmissionModel, type AssignmentDoc, type SubmissionDoc, type TimelineDoc } from './submissions.model';

/** Grade A pays double the 'contribution' rule amount, B the amount, C half of it. */
export const GRADE_FACTOR: Readonly<Record<'A' | 'B' | 'C', number>> = { A: 2, B: 1, C: 0.5 };

/** Pays a correspondent for an approved piece, once per submission (the ledger's idempotency key). Returns points credited. */
export interface ContributionRewards {
  rewardApproval(input: { userId: string; submissionId: string; grade: Grade; title: string }): Promise<number>;
}

export interface SubmissionsServiceDeps {
  clock: Clock;
  wechat: Pick<WechatClient, 'msgSecCheck'>;
  users: Pick<UsersService, 'getView' | 'openidOf'>;
  circles: Pick<CirclesService, 'channelOf'>;
  storage: Pick<StorageService, 'imagesOf' | 'images'>;
  newsroom: Pick<NewsroomService, 'publishFromSubmission'>;
  rewards: ContributionRewards;
}

/** Someone acting on a piece: their roles decide what they may do. */
export type Actor = RoleHolder & { name?: string };

const ACTION_LABELS: Readonly<Record<SubmissionAction, string>> = {
  save: '保存',
  submit: '提交',
  recommend: '推荐',
  return: '退回',
  claim: '认领',
  reject: '不予采用',
  approve: '通过',
  publish: '发布',
  schedule: '定时发布',
};

/** The states each action may start from. Everything else is a 409 with the current state. */
const FROM: Readonly<Record<Exclude<SubmissionAction, 'save'>, readonly SubmissionState[]>> = {
  submit: ['draft', 'returned'],
  recommend: ['submitted'],
  // A circle leader returns at pre-review; the claiming editor returns during review.
  return: ['submitted', 'recommended', 'in_review'],
  // Editors need not wait for a slow circle leader: they may claim straight from `submitted`.
  claim: ['submitted', 'recommended'],
  reject: ['in_review'],
  approve: ['in_review'],
  publish: ['approved', 'scheduled'],
  schedule: ['approved'],
};
const EDITABLE: readonly SubmissionState[] = ['draft', 'returned'];
/** States in which a piece counts for its campaign: accepted by the editors. */
const CAMPAIGN_COUNTED: SubmissionState[] = ['approved', 'scheduled', 'published'];
const UNDER_REVIEW: readonly SubmissionState[] = ['submitted', 'recommended', 'in_review'];

const SYSTEM = { id: null, name: '系统' } as const;

export type SubmissionsService = ReturnType<typeof createSubmissionsService>;

export function createSubmissionsService(deps: SubmissionsServiceDeps) {
  const { clock, wechat, users, circles, storage, newsroom, rewards } = deps;

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

  async function mustFind(id: string): Promise<SubmissionDoc> {
    const doc = await SubmissionModel.findById(id).lean<SubmissionDoc>();
    if (!doc) throw new AppError('SUBMISSION_NOT_FOUND');
    return doc;
  }

  function stateConflict(state: SubmissionState, action: SubmissionAction): AppError {
    return new AppError('SUBMISSION_STATE_CONFLICT', {
      message: `稿件当前状态为「${SUBMISSION_STATE_LABELS[state]}」，不能${ACTION_LABELS[action]}`,
      details: { state, action },
    });
  }

  /** Reviewers never act on their own pieces, whatever roles they hold. */
  function notAuthor(doc: SubmissionDoc, actor: Actor): void {
    if (doc.authorId.toHexString() === actor.id) throw new AppError('SELF_REVIEW_FORBIDDEN');
  }

  /**
   * Moves a piece from one of the action's states to `to` in one conditional update, recording the
   * transition on the timeline. A concurrent transition makes the condition fail → 409 with the state now.
   */
  async function transition(
    doc: SubmissionDoc,
    action: Exclude<SubmissionAction, 'save'>,
    to: SubmissionState,
    by: { id: string | null; name: string },
    options: { note?: string; set?: Record<string, unknown>; unset?: string[] } = {},
  ): Promise<SubmissionDoc> {
    const from = FROM[action];
    if (!from.includes(doc.state)) throw stateConflict(doc.state, action);
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
      const current = await mustFind(doc._id.toHexString());
      throw stateConflict(current.state, action);
    }
    return updated as SubmissionDoc;
  }

  /** The editor who claimed a piece is the one who decides it (admins may step in). */
  function mustHoldClaim(doc: SubmissionDoc, actor: Actor): void {
    if (doc.state === 'in_review' && doc.claimedBy?.toHexString() !== actor.id && !can(actor, { role: 'admin' })) {
      throw new AppError('SUBMISSION_CLAIMED', { details: { state: doc.state, claimedBy: doc.claimedBy?.toHexString() ?? null } });
    }
  }

  function fieldsOf(body: SaveSubmissionBody): Record<string, unknown> {
    const set: Record<string, unknown> = { title: body.title, imageIds: body.imageIds.map(oid) };
    for (const key of ['body', 'videoUrl', 'place', 'campaign', 'copyright', 'originalityStatement'] as const) {
      if (body[key] !== undefined) set[key] = body[key];
    }
    if (body.assignmentId !== undefined) set.assignmentId = body.assignmentId === null ? null : oid(body.assignmentId);
    return set;
  }

  async function checkAssignment(actor: Actor, assignmentId: string | null | undefined): Promise<void> {
    if (!assignmentId) return;
    const a = await AssignmentModel.findById(assignmentId).lean<AssignmentDoc>();
    if (!a || a.assigneeId.toHexString() !== actor.id) throw new AppError('ASSIGNMENT_NOT_FOUND');
    if (a.state !== 'accepted' && a.state !== 'filed')
      throw new AppError('ASSIGNMENT_STATE_CONFLICT', { message: '请先接受选题', details: { state: a.state } });
  }

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

  const service = {
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
      const doc = await mustFind(id);
      if (doc.authorId.toHexString() !== actor.id) throw new AppError('FORBIDDEN');
      if (!EDITABLE.includes(doc.state)) throw stateConflict(doc.state, 'save');
      await storage.imagesOf(actor.id, body.imageIds);
      await checkAssignment(actor, body.assignmentId);
      const updated = await SubmissionModel.findOneAndUpdate(
        { _id: id, state: { $in: EDITABLE } },
        { $set: { ...fieldsOf(body), textSafety: 'pending', updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      if (!updated) throw stateConflict((await mustFind(id)).state, 'save');
      return toView(updated as SubmissionDoc);
    },

    /** The author, the editorial team, and the leaders of the piece's circle may see it. */
    async get(actor: Actor, id: string): Promise<SubmissionView> {
      const doc = await mustFind(id);
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

    async submit(actor: Actor, id: string): Promise<SubmissionView> {
      const doc = await mustFind(id);
      if (doc.authorId.toHexString() !== actor.id) throw new AppError('FORBIDDEN');
      if (!FROM.submit.includes(doc.state)) throw stateConflict(doc.state, 'submit');
      const missing = [!doc.body && 'body', !doc.copyright && 'copyright', !doc.originalityStatement && 'originalityStatement'].filter(
        Boolean,
      );
      if (missing.length > 0)
        throw new AppError('SUBMISSION_INCOMPLETE', { message: '请填写正文、选择版权授权方式并确认原创声明', details: { missing } });
      const images = await storage.images(doc.imageIds.map((i) => i.toHexString()));
      const safety = await safetyCheck(doc, images);
      // Channel admins' pieces and county-wide correspondents (no circle) skip the circle leader.
      const to: SubmissionState = doc.lane === 'channel' || !doc.circleId ? 'recommended' : 'submitted';
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

    /** Circle-leader pre-review: recommend to the editors. */
    async recommend(actor: Actor, id: string, note?: string): Promise<SubmissionView> {
      const doc = await mustFind(id);
      authorize(actor, doc.circleId ? circleManager(doc.circleId.toHexString()) : { role: 'editor' });
      notAuthor(doc, actor);
      return toView(await transition(doc, 'recommend', 'recommended', { id: actor.id, name: await nameOf(actor) }, { note }));
    },

    /** Back to the author with comments: the circle leader at pre-review, the claiming editor in review. */
    async returnForRevision(actor: Actor, id: string, note: string): Promise<SubmissionView> {
      const doc = await mustFind(id);
      if (doc.state === 'submitted' && doc.circleId) authorize(actor, circleManager(doc.circleId.toHexString()));
      else authorize(actor, { role: 'editor' });
      notAuthor(doc, actor);
      mustHoldClaim(doc, actor);
      return toView(
        await transition(doc, 'return', 'returned', { id: actor.id, name: await nameOf(actor) }, { note, unset: ['claimedBy'] }),
      );
    },

    async claim(actor: Actor, id: string): Promise<SubmissionView> {
      authorize(actor, { role: 'editor' });
      const doc = await mustFind(id);
      notAuthor(doc, actor);
      if (doc.state === 'in_review')
        throw new AppError('SUBMISSION_CLAIMED', { details: { state: doc.state, claimedBy: doc.claimedBy?.toHexString() ?? null } });
      return toView(
        await transition(doc, 'claim', 'in_review', { id: actor.id, name: await nameOf(actor) }, { set: { claimedBy: oid(actor.id) } }),
      );
    },

    async reject(actor: Actor, id: string, note: string): Promise<SubmissionView> {
      authorize(actor, { role: 'editor' });
      const doc = await mustFind(id);
      notAuthor(doc, actor);
      mustHoldClaim(doc, actor);
      return toView(await transition(doc, 'reject', 'rejected', { id: actor.id, name: await nameOf(actor) }, { note }));
    },

    /**
     * Approves with a grade. The conditional transition lets exactly one of several concurrent approvals
     * through, and the ledger's idempotency key (the submission id) makes a retried payment a no-op.
     */
    async approve(actor: Actor, id: string, input: ApproveBody): Promise<SubmissionView> {
      authorize(actor, { role: 'editor' });
      const doc = await mustFind(id);
      notAuthor(doc, actor);
      mustHoldClaim(doc, actor);
      if (!FROM.approve.includes(doc.state)) throw stateConflict(doc.state, 'approve');
      const images = await storage.images(doc.imageIds.map((i) => i.toHexString()));
      if (images.some((i) => i.safety === 'risky'))
        throw new AppError('CONTENT_RISKY', { message: '有图片未通过安全检测', details: { part: 'images' } });
      if (images.some((i) => i.safety === 'pending')) throw new AppError('CONTENT_CHECK_PENDING');
      let updated = await transition(
        doc,
        'approve',
        'approved',
        { id: actor.id, name: await nameOf(actor) },
        { note: input.note, set: { grade: input.grade, column: input.column } },
      );
      const points = await rewards.rewardApproval({
        userId: doc.authorId.toHexString(),
        submissionId: id,
        grade: input.grade,
        title: doc.title,
      });
      if (points > 0) {
        updated =
          ((await SubmissionModel.findByIdAndUpdate(
            id,
            { $set: { pointsAwarded: points } },
            { returnDocument: 'after', lean: true },
          )) as SubmissionDoc | null) ?? updated;
      }
      return toView(updated);
    },

    /** Publishes now, or schedules for `publishAt` (the publish-scheduled job does the rest). */
    async publish(actor: Actor, id: string, publishAt?: Date): Promise<SubmissionView> {
      authorize(actor, { role: 'editor' });
      const doc = await mustFind(id);
      const by = { id: actor.id, name: await nameOf(actor) };
      if (publishAt && publishAt.getTime() > clock.now().getTime()) {
        return toView(await transition(doc, 'schedule', 'scheduled', by, { set: { publishAt } }));
      }
      return toView(await publishNow(doc, by));
    },

    /** Scheduled pieces whose time has come (run by the publish-scheduled job; safe to run twice). */
    async publishDue(now: Date = clock.now()): Promise<number> {
      const due = await SubmissionModel.find({ state: 'scheduled', publishAt: { $lte: now } })
        .limit(200)
        .lean<SubmissionDoc[]>();
      let published = 0;
      for (const doc of due) {
        try {
          await publishNow(doc, SYSTEM);
          published += 1;
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'SUBMISSION_STATE_CONFLICT')) throw err;
        }
      }
      return published;
    },

    /** The editors' and circle leaders' queue. Leaders see only their own circles' pieces. */
    /** How many pieces wait in the editors' queue (the console's to-do badge): the default queue's states, counted. */
    async editorQueueCount(actor: Actor): Promise<number> {
      authorize(actor, { role: 'editor' });
      return SubmissionModel.countDocuments({ state: { $in: ['submitted', 'recommended', 'in_review'] } });
    },

    async queue(actor: Actor, query: QueueQuery) {
      authorize(actor, { anyOf: ['editor', 'circle_leader'] });
      const filter: QueryFilter<SubmissionDoc> = {};
      const isEditor = can(actor, { role: 'editor' });
      if (query.circleId) {
        authorize(actor, circleManager(query.circleId));
        filter.circleId = oid(query.circleId);
      } else if (!isEditor) {
        // An admin may grant any string as a scope id: one that is no ObjectId names no circle (casting it threw: 500).
        const circleIds = actor.roles.flatMap((g) => (g.role === 'circle_leader' && g.scope?.type === 'circle' ? [g.scope.id] : []));
        filter.circleId = { $in: circleIds.filter((id) => objectIdSchema.safeParse(id).success).map(oid) };
      }
      filter.state = query.state ?? (isEditor ? { $in: ['submitted', 'recommended', 'in_review'] } : 'submitted');
      if (query.campaign) filter.campaign = query.campaign;
      if (query.flagged !== undefined) filter.flagged = query.flagged;
      if (query.lane) filter.lane = query.lane;
      if (query.minAgeHours !== undefined) filter.stateChangedAt = { $lte: new Date(clock.now().getTime() - query.minAgeHours * 3600_000) };
      if (query.cursor) filter._id = { $lt: oid(query.cursor) };
      return page(filter, query.limit);
    },

    /**
     * WeChat's verdict on an uploaded image reached us. Pieces under review that use it: "review" flags
     * them for the editor; "risky" sends them back to the author.
     */
    async imageVerdict(image: StoredImage): Promise<void> {
      const docs = await SubmissionModel.find({ imageIds: oid(image.id), state: { $in: UNDER_REVIEW } }).lean<SubmissionDoc[]>();
      for (const doc of docs) {
        if (image.safety === 'review') {
          await SubmissionModel.updateOne({ _id: doc._id }, { $set: { flagged: true, updatedAt: clock.now() } });
        } else if (image.safety === 'risky') {
          await transition(
            doc,
            'return',
            'returned',
            { id: null, name: '内容安全检测' },
            { note: '有图片未通过安全检测，请更换后重新提交', unset: ['claimedBy'] },
          ).catch((err: unknown) => {
            if (!(err instanceof AppError && err.code === 'SUBMISSION_STATE_CONFLICT')) throw err;
          });
        }
      }
    },

    // ── campaigns (专题活动): read by the campaigns module ──
    /** Approved (approved, scheduled or published) pieces carrying a campaign tag, newest first. */
    async campaignPieces(tag: string, query: { cursor?: string; limit: number }) {
      const filter: QueryFilter<SubmissionDoc> = { campaign: tag, state: { $in: CAMPAIGN_COUNTED } };
      if (query.cursor) filter._id = { $lt: oid(query.cursor) };
      return page(filter, query.limit);
    },

    /** The approved pieces of a campaign tag in brief: for its figures (pieces, participants, reads) and bonuses. */
    async campaignTally(
      tag: string,
    ): Promise<Array<{ id: string; authorId: string; title: string; articleId: string | null; submittedAt: string | null }>> {
      const docs = await SubmissionModel.find(
        { campaign: tag, state: { $in: CAMPAIGN_COUNTED } },
        { authorId: 1, title: 1, articleId: 1, submittedAt: 1 },
      )
        .limit(5000)
        .lean<Pick<SubmissionDoc, '_id' | 'authorId' | 'title' | 'articleId' | 'submittedAt'>[]>();
      return docs.map((d) => ({
        id: d._id.toHexString(),
        authorId: d.authorId.toHexString(),
        title: d.title,
        articleId: d.articleId?.toHexString() ?? null,
        submittedAt: d.submittedAt?.toISOString() ?? null,
      }));
    },

    // ── 选题派发 ──
    async assign(actor: Actor, input: { title: string; brief: string; assigneeId: string; dueAt?: string }): Promise<AssignmentView> {
      authorize(actor, { role: 'editor' });
      await users.getView(input.assigneeId);
      const doc = await AssignmentModel.create({
        title: input.title,
        brief: input.brief,
        assigneeId: oid(input.assigneeId),
        assignedBy: oid(actor.id),
        state: 'open',
        ...(input.dueAt ? { dueAt: new Date(input.dueAt) } : {}),
        createdAt: clock.now(),
      });
      return toAssignmentView(doc.toObject() as AssignmentDoc);
    },
    async assignments(actor: Actor, mine: boolean): Promise<AssignmentView[]> {
      if (!mine) authorize(actor, { role: 'editor' });
      const docs = await AssignmentModel.find(mine ? { assigneeId: oid(actor.id) } : {})
        .sort({ createdAt: -1 })
        .limit(100)
        .lean<AssignmentDoc[]>();
      return docs.map(toAssignmentView);
    },
    async answerAssignment(actor: Actor, id: string, answer: 'accepted' | 'declined'): Promise<AssignmentView> {
      const doc = await AssignmentModel.findOneAndUpdate(
        { _id: id, assigneeId: oid(actor.id), state: 'open' },
        { $set: { state: answer } },
        { returnDocument: 'after', lean: true },
      );
      if (doc) return toAssignmentView(doc as AssignmentDoc);
      const current = await AssignmentModel.findById(id).lean<AssignmentDoc>();
      if (!current || current.assigneeId.toHexString() !== actor.id) throw new AppError('ASSIGNMENT_NOT_FOUND');
      throw new AppError('ASSIGNMENT_STATE_CONFLICT', { details: { state: current.state } });
    },
  };

  async function page(filter: QueryFilter<SubmissionDoc>, limit: number) {
    const docs = await SubmissionModel.find(filter)
      .sort({ _id: -1 })
      .limit(limit + 1)
      .lean<SubmissionDoc[]>();
    const items = docs.slice(0, limit);
    return {
      items: await Promise.all(items.map(toView)),
      nextCursor: docs.length > limit ? (items.at(-1)?._id.toHexString() ?? null) : null,
    };
  }

  /** The article first (idempotent by submission id), then the state: a crash between leaves a retryable piece, never a lost one. */
  async function publishNow(doc: SubmissionDoc, by: { id: string | null; name: string }): Promise<SubmissionDoc> {
    if (!FROM.publish.includes(doc.state)) throw stateConflict(doc.state, 'publish');
    const images = await storage.images(doc.imageIds.map((i) => i.toHexString()));
    const article = await newsroom.publishFromSubmission({
      submissionId: doc._id.toHexString(),
      title: doc.title,
      text: doc.body,
      images: images.map((i) => i.url),
      videoUrl: doc.videoUrl ?? null,
      column: doc.column ?? 'correspondent',
      author: { userId: doc.authorId.toHexString(), name: doc.authorName },
      circleId: doc.circleId?.toHexString() ?? null,
      place: doc.place ?? null,
      publishAt: clock.now(),
    });
    return transition(doc, 'publish', 'published', by, { set: { articleId: oid(article.id) } });
  }

  return service;
}

function toAssignmentView(doc: AssignmentDoc): AssignmentView {
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    brief: doc.brief,
    assigneeId: doc.assigneeId.toHexString(),
    assignedBy: doc.assignedBy.toHexString(),
    state: doc.state,
    submissionId: doc.submissionId?.toHexString() ?? null,
    dueAt: doc.dueAt?.toISOString() ?? null,
    createdAt: doc.createdAt.toISOString(),
  };
}
