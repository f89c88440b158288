import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import QRCode from 'qrcode';
import type {
  ApplyMerchantBody,
  CreatePromotionBody,
  DirectoryQuery,
  MerchantDetail,
  MerchantState,
  MerchantView,
  PromotionView,
  UpdateMerchantBody,
} from '@shared/schemas/merchants';
import { clerkInviteQrText } from '@shared/schemas/merchants';
import { authorize, can, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import { eachReported } from '../../core/batch/each-reported';
import { containsPattern, isDuplicateKey, oid, pageByIdAsc, pageByKey } from '../../core/db';
import { AppError } from '../../core/errors';
import { greatCircleMetres } from '../../core/geo';
import { SEC_CHECK_SCENE, type WechatClient } from '../../core/wechat';
import { blocksFromText, type NewsroomService } from '../newsroom';
import type { NotificationsService } from '../notifications';
import type { StorageService } from '../storage';
import type { UsersService } from '../users';
import { MerchantModel, PromotionModel, type MerchantDoc, type PromotionDoc } from './merchants.model';

export interface MerchantsServiceDeps {
  clock: Clock;
  redis: Redis;
  wechat: Pick<WechatClient, 'msgSecCheck'>;
  users: Pick<UsersService, 'grantRole' | 'openidOf'>;
  /** Published promotions also go into the feed's 企业之家 column. */
  newsroom: Pick<NewsroomService, 'createEditorArticle'>;
  /** The licence photo: the applicant's own upload, its URL resolved when an allowed viewer reads the application. */
  storage: Pick<StorageService, 'imagesOf' | 'viewableImages' | 'makePrivate'>;
  /** Where the applicant hears the application's decision and the owner a promotion's review. */
  notifications: Pick<NotificationsService, 'raise'>;
  logger: Pick<Logger, 'warn'>;
}

const INVITE_TTL_SECONDS = 24 * 3600;
// No 0/O/1/I: codes are read aloud and typed by hand at the counter.
const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function toView(doc: MerchantDoc, distanceM: number | null = null): MerchantView {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    category: doc.category,
    address: doc.address,
    location: { lng: doc.location.lng, lat: doc.location.lat },
    hours: doc.hours,
    phone: doc.phone,
    photos: doc.photos,
    intro: doc.intro,
    state: doc.state,
    distanceM: distanceM === null ? null : Math.round(distanceM),
    createdAt: doc.createdAt.toISOString(),
  };
}

function toDetail(doc: MerchantDoc, licencePhoto?: MerchantDetail['licencePhoto']): MerchantDetail {
  return {
    ...toView(doc),
    licenceNo: doc.licenceNo,
    ...(licencePhoto ? { licencePhoto } : {}),
    ownerId: doc.ownerId.toHexString(),
    reason: doc.reason ?? null,
    decidedAt: doc.decidedAt?.toISOString() ?? null,
  };
}

function toPromotionView(doc: PromotionDoc, merchantName: string): PromotionView {
  return {
    id: doc._id.toHexString(),
    merchantId: doc.merchantId.toHexString(),
    merchantName,
    kind: doc.kind,
    title: doc.title,
    body: doc.body,
    photos: doc.photos,
    startsAt: doc.startsAt?.toISOString() ?? null,
    endsAt: doc.endsAt?.toISOString() ?? null,
    state: doc.state,
    textSafety: doc.textSafety,
    reason: doc.reason ?? null,
    articleId: doc.articleId?.toHexString() ?? null,
    createdAt: doc.createdAt.toISOString(),
  };
}

/** Who runs a merchant: its owner; `clerks: true` lets its clerks in too (redeeming, reading stats). */
export const merchantStaff = (merchantId: string, clerks = false) => ({
  anyOf: clerks ? (['merchant_owner', 'merchant_clerk'] as const) : (['merchant_owner'] as const),
  scope: { type: 'merchant' as const, id: merchantId },
});

export type MerchantsService = ReturnType<typeof createMerchantsService>;

export function createMerchantsService({ clock, redis, wechat, users, newsroom, storage, notifications, logger }: MerchantsServiceDeps) {
  /**
   * Tells the applicant (or the shop's owner) how a review went, once per application or promotion: each is
   * decided once, so its id is the key. Failing to raise is logged; the decision stands and its page shows it.
   */
  async function notifyReview(notice: {
    userId: Types.ObjectId;
    key: string;
    title: string;
    body: string;
    link: string;
    templateKey: 'applicationResult' | 'reviewResult';
    data: Record<string, string | Date>;
  }): Promise<void> {
    await notifications
      .raise({
        userId: notice.userId.toHexString(),
        kind: 'merchants',
        key: notice.key,
        title: notice.title,
        body: notice.body,
        link: notice.link,
        subscribe: { templateKey: notice.templateKey, data: notice.data },
      })
      .catch((err: unknown) => logger.warn({ err, key: notice.key }, 'merchant notice not raised'));
  }

  async function mustFind(id: string): Promise<MerchantDoc> {
    const doc = Types.ObjectId.isValid(id) ? await MerchantModel.findById(id).lean<MerchantDoc>() : null;
    if (!doc) throw new AppError('MERCHANT_NOT_FOUND');
    return doc;
  }

  async function mustFindApproved(id: string): Promise<MerchantDoc> {
    const doc = await mustFind(id);
    if (doc.state !== 'approved') throw new AppError('MERCHANT_NOT_FOUND');
    return doc;
  }

  /**
   * Details as `actor` may see them: the licence photo (personal data) only for the applicant and editors,
   * never for clerks (who see the shop's other details) or on the public shop page.
   */
  async function detailsFor(actor: RoleHolder, docs: MerchantDoc[]): Promise<MerchantDetail[]> {
    const editor = can(actor, { role: 'editor' });
    const photoOf = (d: MerchantDoc) => ((editor || d.ownerId.toHexString() === actor.id) && d.licencePhotoFileId) || null;
    const ids = [...new Set(docs.flatMap((d) => photoOf(d)?.toHexString() ?? []))];
    const images = new Map(ids.length ? (await storage.viewableImages(ids)).map((i) => [i.id, i.url]) : []);
    return docs.map((d) => {
      const fileId = photoOf(d)?.toHexString();
      const url = fileId && images.get(fileId);
      return toDetail(d, fileId && url ? { fileId, url } : undefined);
    });
  }
  const detailFor = async (actor: RoleHolder, doc: MerchantDoc) => (await detailsFor(actor, [doc]))[0]!;

  /** The licence photo must be the applicant's own upload (not someone else's file id) and not one WeChat flagged. */
  async function ownLicencePhoto(actor: RoleHolder, fileId: string): Promise<Types.ObjectId> {
    const details = { field: 'licencePhotoFileId' };
    const [image] = await storage.imagesOf(actor.id, [fileId]).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'FILE_NOT_FOUND')
        throw new AppError('FILE_NOT_FOUND', { message: '营业执照照片不存在，请重新上传', details });
      throw err;
    });
    if (image!.safety === 'risky') throw new AppError('CONTENT_RISKY', { message: '营业执照照片未通过安全检测，请换一张', details });
    // Private from filing on even when uploaded without purpose=licence (an older client): served by signed URL only.
    await storage.makePrivate(actor.id, fileId);
    return oid(fileId);
  }

  async function namesOf(ids: Types.ObjectId[]): Promise<Map<string, string>> {
    const docs = await MerchantModel.find({ _id: { $in: ids } }, { name: 1 }).lean<Array<{ _id: Types.ObjectId; name: string }>>();
    return new Map(docs.map((d) => [d._id.toHexString(), d.name]));
  }

  async function promotionViews(docs: PromotionDoc[]): Promise<PromotionView[]> {
    const names = await namesOf([...new Set(docs.map((d) => d.merchantId.toHexString()))].map(oid));
    return docs.map((d) => toPromotionView(d, names.get(d.merchantId.toHexString()) ?? ''));
  }

  const service = {
    /**
     * Migration (#18): every application's licence photo becomes a private file (served by signed URL only), those
     * uploaded before the rule included. Idempotent. `notOwned`: photos that are not the applicant's own file
     * (left as they are; filing has refused such ids since the photo check existed).
     */
    async privatiseLicencePhotos(): Promise<{ applications: number; madePrivate: number; notOwned: number }> {
      const out = { applications: 0, madePrivate: 0, notOwned: 0 };
      const rows = MerchantModel.find({ licencePhotoFileId: { $exists: true } }, { ownerId: 1, licencePhotoFileId: 1 })
        .lean<Pick<MerchantDoc, '_id' | 'ownerId' | 'licencePhotoFileId'>[]>()
        .cursor({ batchSize: 500 });
      for await (const m of rows as AsyncIterable<Pick<MerchantDoc, '_id' | 'ownerId' | 'licencePhotoFileId'>>) {
        out.applications += 1;
        if (await storage.makePrivate(m.ownerId.toHexString(), m.licencePhotoFileId!.toHexString())) out.madePrivate += 1;
        else out.notOwned += 1;
      }
      return out;
    },

    /** Merchant names by id (the stats roll-ups label their rows with them). */
    async merchantNames(ids: readonly string[]): Promise<Map<string, string>> {
      const docs = await MerchantModel.find({ _id: { $in: ids.filter((id) => Types.ObjectId.isValid(id)) } }, { name: 1 }).lean<
        { _id: Types.ObjectId; name: string }[]
      >();
      return new Map(docs.map((d) => [d._id.toHexString(), d.name]));
    },

    /** A user applies to list a shop; one pending application per person. */
    async apply(actor: RoleHolder, body: ApplyMerchantBody): Promise<MerchantDetail> {
      const licencePhotoFileId = await ownLicencePhoto(actor, body.licencePhotoFileId);
      const now = clock.now();
      try {
        const created = await MerchantModel.create({
          ...body,
          licencePhotoFileId,
          ownerId: oid(actor.id),
          pendingOf: oid(actor.id),
          state: 'pending',
          createdAt: now,
          updatedAt: now,
        });
        return await detailFor(actor, created.toObject());
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('MERCHANT_APPLICATION_PENDING');
        throw err;
      }
    },

    /** Editors approve (the applicant becomes the merchant's owner) or decline with a reason. */
    async decide(actor: RoleHolder, id: string, decision: 'approve' | 'decline', reason?: string): Promise<MerchantDetail> {
      authorize(actor, { role: 'editor' });
      await mustFind(id);
      const now = clock.now();
      const state: MerchantState = decision === 'approve' ? 'approved' : 'declined';
      const doc = await MerchantModel.findOneAndUpdate(
        { _id: oid(id), state: 'pending' },
        {
          $set: { state, decidedBy: oid(actor.id), decidedAt: now, updatedAt: now, ...(reason ? { reason } : {}) },
          $unset: { pendingOf: 1 },
        },
        { returnDocument: 'after' },
      ).lean<MerchantDoc>();
      if (!doc) throw new AppError('MERCHANT_STATE_CONFLICT', { message: '该申请已处理' });
      if (state === 'approved') {
        await users.grantRole({ id: actor.id }, doc.ownerId.toHexString(), {
          role: 'merchant_owner',
          scope: { type: 'merchant', id },
        });
      }
      const approved = state === 'approved';
      await notifyReview({
        userId: doc.ownerId,
        key: `merchants:application:${id}`,
        title: `商户入驻申请${approved ? '已通过' : '未通过'}`,
        body: approved ? `「${doc.name}」已入驻企业之家` : `「${doc.name}」的入驻申请未通过：${reason ?? ''}`,
        link: approved ? 'subpackages/merchant/pages/index/index' : 'subpackages/merchants/pages/apply/index',
        templateKey: 'applicationResult',
        data: {
          title: doc.name,
          result: approved ? '已通过' : '未通过',
          reason: approved ? '已入驻企业之家' : reason || '未写明理由',
          time: now,
        },
      });
      return detailFor(actor, doc);
    },

    /** The owner edits the shop's contact details, hours, photos and location (name and licence stay as reviewed). */
    async update(actor: RoleHolder, id: string, patch: UpdateMerchantBody): Promise<MerchantDetail> {
      authorize(actor, merchantStaff(id));
      await mustFindApproved(id);
      const doc = await MerchantModel.findOneAndUpdate(
        { _id: oid(id), state: 'approved' },
        { $set: { ...patch, updatedAt: clock.now() } },
        { returnDocument: 'after' },
      ).lean<MerchantDoc>();
      if (!doc) throw new AppError('MERCHANT_NOT_FOUND');
      return detailFor(actor, doc);
    },

    /** Merchant applications waiting for an editor (the console's to-do badge). */
    async pendingApplicationCount(actor: RoleHolder): Promise<number> {
      authorize(actor, { role: 'editor' });
      return MerchantModel.countDocuments({ state: 'pending' });
    },

    /** Promotions waiting for an editor's review (the console's to-do badge). */
    async pendingPromotionCount(actor: RoleHolder): Promise<number> {
      authorize(actor, { role: 'editor' });
      return PromotionModel.countDocuments({ state: 'pending' });
    },

    /** Applications in one state, the longest-waiting first, a page at a time. */
    async applications(
      actor: RoleHolder,
      { state, cursor, limit }: { state: MerchantState; cursor?: string; limit: number },
    ): Promise<{ items: MerchantDetail[]; nextCursor: string | null }> {
      authorize(actor, { role: 'editor' });
      const { docs, nextCursor } = await pageByIdAsc(MerchantModel, { state }, { cursor, limit });
      return { items: await detailsFor(actor, docs), nextCursor };
    },

    /** Several applications decided at once, each as `decide` would, each row's outcome reported. */
    async decideMany(actor: RoleHolder, ids: readonly string[], decision: 'approve' | 'decline', reason?: string) {
      authorize(actor, { role: 'editor' });
      return eachReported(ids, (id) => service.decide(actor, id, decision, reason));
    },

    /** The merchants the user applied for or works at (owner and clerk scopes). */
    async mine(actor: RoleHolder): Promise<MerchantDetail[]> {
      const scoped = actor.roles
        .filter((g) => (g.role === 'merchant_owner' || g.role === 'merchant_clerk') && g.scope?.type === 'merchant')
        .map((g) => g.scope!.id)
        .filter((id) => Types.ObjectId.isValid(id));
      const docs = await MerchantModel.find({ $or: [{ ownerId: oid(actor.id) }, { _id: { $in: scoped.map(oid) } }] })
        .sort({ createdAt: -1 })
        .lean<MerchantDoc[]>();
      return detailsFor(actor, docs);
    },

    /**
     * Public listing of an approved merchant; owners and editors also see pending/declined ones in detail, but
     * this is the shop page: the licence photo stays on the application (mine, the review queue).
     */
    async get(actor: RoleHolder | null, id: string): Promise<MerchantView | MerchantDetail> {
      const doc = await mustFind(id);
      const privileged = actor && (doc.ownerId.toHexString() === actor.id || can(actor, { role: 'editor' }));
      if (privileged) return toDetail(doc);
      if (doc.state !== 'approved') throw new AppError('MERCHANT_NOT_FOUND');
      return toView(doc);
    },

    /** 企业之家 directory: approved merchants by category and keyword, nearest first when a point is given. */
    async directory(query: DirectoryQuery): Promise<MerchantView[]> {
      const filter: Record<string, unknown> = { state: 'approved' };
      if (query.category) filter.category = query.category;
      if (query.q) {
        const re = containsPattern(query.q);
        filter.$or = [{ name: re }, { address: re }, { intro: re }];
      }
      const docs = await MerchantModel.find(filter).lean<MerchantDoc[]>();
      if (query.lat !== undefined && query.lng !== undefined) {
        const here = { lat: query.lat, lng: query.lng };
        return docs
          .map((d) => ({ d, m: greatCircleMetres(here, d.location) }))
          .sort((a, b) => a.m - b.m || a.d.name.localeCompare(b.d.name))
          .slice(0, query.limit)
          .map(({ d, m }) => toView(d, m));
      }
      return docs
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .slice(0, query.limit)
        .map((d) => toView(d));
    },

    /** For coupons: throws MERCHANT_NOT_FOUND unless every id is an approved merchant. */
    async assertApproved(ids: readonly string[]): Promise<void> {
      const unique = [...new Set(ids)];
      const n = await MerchantModel.countDocuments({ _id: { $in: unique.map(oid) }, state: 'approved' });
      if (n !== unique.length) throw new AppError('MERCHANT_NOT_FOUND', { message: '参与商户不存在或未通过审核' });
    },

    async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
      return namesOf(ids.filter((id) => Types.ObjectId.isValid(id)).map(oid));
    },

    /** The owner creates a one-time code (24 h) a clerk enters to join the shop. */
    async inviteClerk(actor: RoleHolder, merchantId: string): Promise<{ code: string; expiresAt: string; qrDataUrl: string }> {
      authorize(actor, merchantStaff(merchantId));
      await mustFindApproved(merchantId);
      const code = Array.from({ length: 8 }, () => INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]).join('');
      await redis.set(`merchant-invite:${code}`, merchantId, 'EX', INVITE_TTL_SECONDS);
      // Drawn here like the check-in code (volunteers/attendance.ts): only the owner's answer carries it.
      const qrDataUrl = await QRCode.toDataURL(clerkInviteQrText(code), { errorCorrectionLevel: 'M', margin: 2, width: 480 });
      return { code, expiresAt: new Date(clock.now().getTime() + INVITE_TTL_SECONDS * 1000).toISOString(), qrDataUrl };
    },

    /** A signed-in user redeems an invite and becomes the merchant's clerk (the code works once). */
    async acceptInvite(actor: RoleHolder, code: string): Promise<MerchantDetail> {
      const merchantId = await redis.getdel(`merchant-invite:${code}`);
      if (!merchantId) throw new AppError('MERCHANT_INVITE_INVALID');
      const doc = await mustFindApproved(merchantId);
      await users.grantRole(null, actor.id, { role: 'merchant_clerk', scope: { type: 'merchant', id: merchantId } });
      return toDetail(doc);
    },

    /** A merchant's owner posts a promotion: text through WeChat's check, then an editor's light review. */
    async createPromotion(actor: RoleHolder, merchantId: string, body: CreatePromotionBody): Promise<PromotionView> {
      authorize(actor, merchantStaff(merchantId));
      const merchant = await mustFindApproved(merchantId);
      if (body.startsAt && body.endsAt && new Date(body.endsAt) <= new Date(body.startsAt))
        throw new AppError('VALIDATION_FAILED', { message: '结束时间应晚于开始时间' });
      const openid = await users.openidOf(actor.id);
      let textSafety: 'pass' | 'review' | 'risky' = 'pass';
      if (openid) {
        const verdict = await wechat.msgSecCheck({ openid, scene: SEC_CHECK_SCENE.forum, title: body.title, content: body.body });
        textSafety = verdict.suggest;
        if (textSafety === 'risky')
          throw new AppError('CONTENT_RISKY', { message: '活动内容未通过安全检测，请修改后再提交', details: { label: verdict.label } });
      }
      const doc = await PromotionModel.create({
        merchantId: merchant._id,
        authorId: oid(actor.id),
        kind: body.kind,
        title: body.title,
        body: body.body,
        photos: body.photos,
        ...(body.startsAt ? { startsAt: new Date(body.startsAt) } : {}),
        ...(body.endsAt ? { endsAt: new Date(body.endsAt) } : {}),
        state: 'pending',
        textSafety,
        createdAt: clock.now(),
      });
      return toPromotionView(doc.toObject(), merchant.name);
    },

    /** Promotions in one review state, the longest-waiting first, a page at a time. */
    async promotionQueue(
      actor: RoleHolder,
      { state, cursor, limit }: { state: PromotionDoc['state']; cursor?: string; limit: number },
    ): Promise<{ items: PromotionView[]; nextCursor: string | null }> {
      authorize(actor, { role: 'editor' });
      const { docs, nextCursor } = await pageByIdAsc(PromotionModel, { state }, { cursor, limit });
      return { items: await promotionViews(docs), nextCursor };
    },

    async reviewPromotion(actor: RoleHolder, id: string, decision: 'publish' | 'reject', reason?: string): Promise<PromotionView> {
      authorize(actor, { role: 'editor' });
      const now = clock.now();
      const doc = await PromotionModel.findOneAndUpdate(
        { _id: oid(id), state: 'pending' },
        {
          $set: {
            state: decision === 'publish' ? 'published' : 'rejected',
            reviewedBy: oid(actor.id),
            reviewedAt: now,
            ...(decision === 'publish' ? { publishedAt: now } : {}),
            ...(reason ? { reason } : {}),
          },
        },
        { returnDocument: 'after' },
      ).lean<PromotionDoc>();
      if (!doc) {
        if (!(await PromotionModel.exists({ _id: oid(id) }))) throw new AppError('PROMOTION_NOT_FOUND');
        throw new AppError('PROMOTION_STATE_CONFLICT');
      }
      const view = (await promotionViews([doc]))[0]!;
      const owner = await MerchantModel.findById(doc.merchantId, { ownerId: 1 }).lean<Pick<MerchantDoc, 'ownerId'>>();
      const published = doc.state === 'published';
      if (owner) {
        await notifyReview({
          userId: owner.ownerId,
          key: `merchants:promotion:${id}`,
          title: `推广${published ? '已发布' : '未通过审核'}`,
          body: published ? `「${doc.title}」已通过审核并发布` : `「${doc.title}」未通过审核：${reason ?? ''}`,
          link: `subpackages/merchant/pages/promotion/index?merchantId=${doc.merchantId.toHexString()}`,
          templateKey: 'reviewResult',
          data: {
            title: doc.title,
            result: published ? '已发布' : '未通过',
            note: published ? '已发布到企业之家' : reason || '未写明理由',
            time: now,
          },
        });
      }
      if (doc.state === 'published') {
        // Only the review that flipped pending → published gets here, so the feed gets one article.
        const article = await newsroom.createEditorArticle(
          { id: actor.id, name: view.merchantName },
          {
            title: `【${doc.kind}】${view.merchantName}：${doc.title}`.slice(0, 60),
            body: blocksFromText(doc.body, doc.photos, null),
            column: 'enterprise',
            authorName: view.merchantName.slice(0, 30),
            ...(doc.photos[0] ? { cover: doc.photos[0] } : {}),
          },
          { sponsored: true },
        );
        await PromotionModel.updateOne({ _id: doc._id }, { $set: { articleId: oid(article.id) } });
        return { ...view, articleId: article.id };
      }
      return view;
    },

    /** Several promotions reviewed at once, each as `reviewPromotion` would (one feed article per publish), each row reported. */
    async reviewPromotions(actor: RoleHolder, ids: readonly string[], decision: 'publish' | 'reject', reason?: string) {
      authorize(actor, { role: 'editor' });
      return eachReported(ids, (id) => service.reviewPromotion(actor, id, decision, reason));
    },

    /** The shop's own promotions in every state, newest first, with the editor's reason: its owner and clerks only. */
    async ownPromotions(
      actor: RoleHolder,
      merchantId: string,
      { state, cursor, limit }: { state?: PromotionDoc['state']; cursor?: string; limit: number },
    ): Promise<{ items: PromotionView[]; nextCursor: string | null }> {
      authorize(actor, merchantStaff(merchantId, true));
      await mustFind(merchantId);
      const filter: Record<string, unknown> = { merchantId: oid(merchantId) };
      if (state) filter.state = state;
      // _id breaks ties: promotions posted within one clock tick still list newest first.
      const { docs, nextCursor } = await pageByKey(PromotionModel, filter, { cursor, limit }, { key: 'createdAt', order: -1 });
      return { items: await promotionViews(docs), nextCursor };
    },

    /** Published promotions: one merchant's page, or the 企业之家 column (all merchants), newest published first. */
    async promotions(
      merchantId: string | undefined,
      page: { cursor?: string; limit: number },
    ): Promise<{ items: PromotionView[]; nextCursor: string | null }> {
      const filter: Record<string, unknown> = { state: 'published' };
      if (merchantId) filter.merchantId = oid(merchantId);
      // Paged by publication time, not id: a promotion waits in review, so ids are not in publication order.
      const { docs, nextCursor } = await pageByKey(PromotionModel, filter, page, { key: 'publishedAt', order: -1 });
      return { items: await promotionViews(docs), nextCursor };
    },
  };
  return service;
}
