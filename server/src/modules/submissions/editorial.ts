/**
 * The editors' and circle leaders' side: the review queue, pre-review, claim, return, reject, approve
 * (with the contribution payment), publish now or on schedule, and WeChat's late verdicts on images.
 */
import type { QueryFilter } from 'mongoose';
import type { ApproveBody, Grade, QueueQuery, SubmissionView } from '@shared/schemas/newsroom';
import { objectIdSchema } from '@shared/schemas/users';
import { authorize, can } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { workDue } from '../../core/work-due';
import { circleManager, type CirclesService } from '../circles';
import type { NewsroomService } from '../newsroom';
import type { NotificationsService } from '../notifications';
import type { StorageService, StoredImage } from '../storage';
import { mustAllow, UNDER_REVIEW } from './submission-rules';
import { mustFindSubmission, mustHoldClaim, notAuthor, SYSTEM, type ActingAs, type Actor, type SubmissionStore } from './submission-store';
import { SubmissionModel, type SubmissionDoc } from './submissions.model';

/** Pays a correspondent for an approved piece, once per submission (the ledger's idempotency key). Returns points credited. */
export interface ContributionRewards {
  rewardApproval(input: { userId: string; submissionId: string; grade: Grade; title: string }): Promise<number>;
}

export interface EditorialDeps {
  clock: Clock;
  storage: Pick<StorageService, 'images'>;
  newsroom: Pick<NewsroomService, 'publishFromSubmission' | 'requireColumn'>;
  /** The correspondent's real name from their approved application: the byline readers see. */
  circles: Pick<CirclesService, 'realNameOf'>;
  rewards: ContributionRewards;
  store: SubmissionStore;
  /** Where the author hears a review's outcome (approved, returned, rejected). */
  notifications: Pick<NotificationsService, 'raise'>;
  logger: Pick<Logger, 'warn'>;
}

const OUTCOMES = {
  approved: { result: '已通过', title: '稿件已通过审核' },
  returned: { result: '已退回', title: '稿件被退回修改' },
  rejected: { result: '未采用', title: '稿件未被采用' },
} as const;

export function createEditorial({ clock, storage, circles, newsroom, rewards, store, notifications, logger }: EditorialDeps) {
  const { nameOf, toView, page, transition } = store;

  /**
   * Tells the author how the review went. Keyed by the piece and the length of its timeline: each transition adds
   * one entry, so a piece returned, revised and returned again is told twice, and the same transition never twice.
   */
  async function notifyAuthor(doc: SubmissionDoc, outcome: keyof typeof OUTCOMES, note?: string): Promise<void> {
    const id = doc._id.toHexString();
    const { result, title } = OUTCOMES[outcome];
    await notifications
      .raise({
        userId: doc.authorId.toHexString(),
        kind: 'newsroom',
        key: `submissions:review:${id}:${doc.timeline.length}`,
        title,
        body: `「${doc.title}」${result}${note ? `：${note}` : ''}`,
        link: `subpackages/newsroom/pages/piece/index?id=${id}`,
        subscribe: { templateKey: 'reviewResult', data: { title: doc.title, result, note: note || title, time: clock.now() } },
      })
      .catch((err: unknown) => logger.warn({ err, submissionId: id }, 'review notice not raised'));
  }

  /** The article first (idempotent by submission id), then the state: a crash between leaves a retryable piece, never a lost one. */
  async function publishNow(doc: SubmissionDoc, by: ActingAs): Promise<SubmissionDoc> {
    mustAllow('publish', doc.state);
    const images = await storage.images(doc.imageIds.map((i) => i.toHexString()));
    // The byline: the correspondent's real name (from their approved application, else the name they filed
    // under) and the editor who approved the piece (责任编辑).
    const authorId = doc.authorId.toHexString();
    const approval = doc.timeline.findLast((e) => e.action === 'approve');
    const article = await newsroom.publishFromSubmission({
      submissionId: doc._id.toHexString(),
      title: doc.title,
      text: doc.body,
      images: images.map((i) => i.url),
      videoUrl: doc.videoUrl ?? null,
      column: doc.column ?? 'correspondent',
      author: { userId: authorId, name: (await circles.realNameOf(authorId)) ?? doc.authorName },
      editor: approval ? { userId: approval.by?.toHexString() ?? null, name: approval.byName } : null,
      circleId: doc.circleId?.toHexString() ?? null,
      place: doc.place ?? null,
      publishAt: clock.now(),
    });
    return transition(doc, 'publish', 'published', by, { set: { articleId: oid(article.id) } });
  }

  return {
    /** Circle-leader pre-review: recommend to the editors. */
    async recommend(actor: Actor, id: string, note?: string): Promise<SubmissionView> {
      const doc = await mustFindSubmission(id);
      authorize(actor, doc.circleId ? circleManager(doc.circleId.toHexString()) : { role: 'editor' });
      notAuthor(doc, actor);
      return toView(await transition(doc, 'recommend', 'recommended', { id: actor.id, name: await nameOf(actor) }, { note }));
    },

    /** Back to the author with comments: the circle leader at pre-review, the claiming editor in review. */
    async returnForRevision(actor: Actor, id: string, note: string): Promise<SubmissionView> {
      const doc = await mustFindSubmission(id);
      if (doc.state === 'submitted' && doc.circleId) authorize(actor, circleManager(doc.circleId.toHexString()));
      else authorize(actor, { role: 'editor' });
      notAuthor(doc, actor);
      mustHoldClaim(doc, actor);
      const updated = await transition(
        doc,
        'return',
        'returned',
        { id: actor.id, name: await nameOf(actor) },
        { note, unset: ['claimedBy'] },
      );
      await notifyAuthor(updated, 'returned', note);
      return toView(updated);
    },

    async claim(actor: Actor, id: string): Promise<SubmissionView> {
      authorize(actor, { role: 'editor' });
      const doc = await mustFindSubmission(id);
      notAuthor(doc, actor);
      if (doc.state === 'in_review')
        throw new AppError('SUBMISSION_CLAIMED', { details: { state: doc.state, claimedBy: doc.claimedBy?.toHexString() ?? null } });
      return toView(
        await transition(doc, 'claim', 'in_review', { id: actor.id, name: await nameOf(actor) }, { set: { claimedBy: oid(actor.id) } }),
      );
    },

    async reject(actor: Actor, id: string, note: string): Promise<SubmissionView> {
      authorize(actor, { role: 'editor' });
      const doc = await mustFindSubmission(id);
      notAuthor(doc, actor);
      mustHoldClaim(doc, actor);
      const updated = await transition(doc, 'reject', 'rejected', { id: actor.id, name: await nameOf(actor) }, { note });
      await notifyAuthor(updated, 'rejected', note);
      return toView(updated);
    },

    /**
     * Approves with a grade. The conditional transition lets exactly one of several concurrent approvals
     * through, and the ledger's idempotency key (the submission id) makes a retried payment a no-op.
     */
    async approve(actor: Actor, id: string, input: ApproveBody): Promise<SubmissionView> {
      authorize(actor, { role: 'editor' });
      const doc = await mustFindSubmission(id);
      notAuthor(doc, actor);
      mustHoldClaim(doc, actor);
      mustAllow('approve', doc.state);
      await newsroom.requireColumn(input.column);
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
      await notifyAuthor(updated, 'approved', input.note);
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
      const doc = await mustFindSubmission(id);
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
      return workDue(due, (doc) => publishNow(doc, SYSTEM), 'SUBMISSION_STATE_CONFLICT');
    },

    /** How many pieces wait in the editors' queue (the console's to-do badge): the default queue's states, counted. */
    async editorQueueCount(actor: Actor): Promise<number> {
      authorize(actor, { role: 'editor' });
      return SubmissionModel.countDocuments({ state: { $in: [...UNDER_REVIEW] } });
    },

    /** The editors' and circle leaders' queue. Leaders see only their own circles' pieces. */
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
      filter.state = query.state ?? (isEditor ? { $in: [...UNDER_REVIEW] } : 'submitted');
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
          const note = '有图片未通过安全检测，请更换后重新提交';
          const returned = await transition(
            doc,
            'return',
            'returned',
            { id: null, name: '内容安全检测' },
            { note, unset: ['claimedBy'] },
          ).catch((err: unknown) => {
            if (!(err instanceof AppError && err.code === 'SUBMISSION_STATE_CONFLICT')) throw err;
            return null;
          });
          if (returned) await notifyAuthor(returned, 'returned', note);
        }
      }
    },
  };
}
