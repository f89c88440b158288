import { createHmac, timingSafeEqual } from 'node:crypto';
import { Types } from 'mongoose';
import { UPLOAD_MAX_BYTES, type SafetyState, type UploadPurpose, type UploadResponse } from '@shared/schemas/newsroom';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { SEC_CHECK_SCENE, type ContentSuggest, type WechatClient } from '../../core/wechat';
import { MEDIA_TYPES, sniffMediaType, type FileStorage } from './file-storage';
import { FileModel, type FileDoc } from './storage.model';
import type { UploadQuota } from './upload-quota';

export interface StorageServiceDeps {
  clock: Clock;
  logger: Logger;
  storage: FileStorage;
  wechat: Pick<WechatClient, 'mediaCheckAsync'>;
  quota: UploadQuota;
  /** Signs private files' URLs (a server secret; a key for this use only is derived from it). */
  urlSecret: string;
}

/** How long a private file's signed URL stays valid. */
export const SIGNED_URL_TTL_SECONDS = 10 * 60;

export interface StoredImage {
  id: string;
  url: string;
  ownerId: string;
  safety: SafetyState;
  label: number | null;
}

/** `url` is the plain one: for a private file it answers 404 (see viewableImages for signed ones). */
const toImage = (doc: FileDoc, url: string): StoredImage => ({
  id: doc._id.toHexString(),
  url,
  ownerId: doc.ownerId.toHexString(),
  safety: doc.safety,
  label: doc.label ?? null,
});

export type StorageService = ReturnType<typeof createStorageService>;

export function createStorageService({ clock, logger, storage, wechat, quota, urlSecret }: StorageServiceDeps) {
  const signingKey = createHmac('sha256', urlSecret).update('rongmei private file urls').digest();
  const signatureOf = (key: string, exp: number) => createHmac('sha256', signingKey).update(`${key}\n${exp}`).digest();
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  /** `…/api/v1/files/<key>?exp=<unix s>&sig=<hex>`, valid for `ttl` seconds from now. */
  const signedUrl = (key: string, ttl = SIGNED_URL_TTL_SECONDS) => {
    const exp = nowSeconds() + ttl;
    return `${storage.urlFor(key)}?exp=${exp}&sig=${signatureOf(key, exp).toString('hex')}`;
  };
  /** The URL a viewer reads: public files by their plain URL, private ones signed (callers decide who may see it). */
  const urlOf = (doc: Pick<FileDoc, 'key' | 'private'>) => (doc.private ? signedUrl(doc.key) : storage.urlFor(doc.key));
  /** Seconds the signed URL has left, or null when the signature is wrong or expired. */
  const signatureLife = (key: string, signed: { exp?: string; sig?: string }): number | null => {
    if (!signed.exp || !signed.sig) return null;
    const exp = Number(signed.exp);
    const left = exp - nowSeconds();
    if (!Number.isSafeInteger(exp) || left <= 0) return null;
    const given = Buffer.from(signed.sig, 'hex');
    const expected = signatureOf(key, exp);
    return given.length === expected.length && timingSafeEqual(given, expected) ? left : null;
  };

  return {
    /**
     * Stores an uploaded image after checking its size and real type (magic bytes), then asks WeChat to
     * check it; the verdict arrives later on the push URL. Staff accounts (no openid) are trusted. Each
     * stored file counts against its owner's daily quota (files and bytes), given back if storing fails.
     */
    async upload(
      owner: { id: string; openid: string | null; editor?: boolean },
      data: Buffer,
      purpose?: UploadPurpose,
    ): Promise<UploadResponse['file']> {
      // A licence photo carries personal data: private from the start (see read()).
      const isPrivate = purpose === 'licence';
      if (data.length > UPLOAD_MAX_BYTES) throw new AppError('FILE_TOO_LARGE');
      const contentType = sniffMediaType(data);
      // Video only from editors and the centre's own tools (no openid): WeChat's asynchronous check here is for
      // pictures, so a resident's video could not be checked before it is shown.
      if (!contentType || (contentType === 'video/mp4' && owner.openid && !owner.editor)) throw new AppError('FILE_TYPE_UNSUPPORTED');
      // Residents' pictures go through WeChat's check; an editor's video is the centre's own.
      const checkWith = contentType === 'video/mp4' ? null : owner.openid;
      const id = new Types.ObjectId();
      const key = `${id.toHexString()}.${MEDIA_TYPES[contentType]}`;
      const reservation = await quota.reserve(owner.id, data.length);
      let doc: FileDoc;
      try {
        await storage.put(key, data, contentType);
        doc = await FileModel.create({
          _id: id,
          ownerId: new Types.ObjectId(owner.id),
          key,
          contentType,
          size: data.length,
          safety: checkWith ? 'pending' : 'pass',
          ...(isPrivate ? { private: true } : {}),
          createdAt: clock.now(),
        });
      } catch (err) {
        await reservation.release().catch(() => undefined);
        throw err;
      }
      if (checkWith) {
        try {
          const { traceId } = await wechat.mediaCheckAsync({
            // A private file: WeChat fetches it through a signed URL that outlives its queue (an hour).
            mediaUrl: isPrivate ? signedUrl(key, 60 * 60) : storage.urlFor(key),
            mediaType: 'image',
            openid: checkWith,
            scene: SEC_CHECK_SCENE.forum,
          });
          await FileModel.updateOne({ _id: id }, { $set: { traceId } });
        } catch (err) {
          // The upload stands; the piece waits (CONTENT_CHECK_PENDING) until a check verdict exists.
          logger.warn({ err, fileId: id.toHexString() }, 'mediaCheckAsync failed');
        }
      }
      return { id: id.toHexString(), url: urlOf(doc), contentType, size: data.length, safety: doc.safety };
    },

    /**
     * A file's bytes. A private file only with a valid, unexpired signature (else null: the same 404 as a
     * missing file); `privateFor` is then the seconds the signature has left (what a cache may keep it).
     */
    async read(
      key: string,
      signed: { exp?: string; sig?: string } = {},
    ): Promise<{ data: Buffer; contentType: string; privateFor: number | null } | null> {
      const doc = await FileModel.findOne({ key }).lean<FileDoc>();
      if (!doc || doc.safety === 'risky') return null;
      const privateFor = doc.private ? signatureLife(key, signed) : null;
      if (doc.private && privateFor === null) return null;
      const data = await storage.get(key);
      return data ? { data, contentType: doc.contentType, privateFor } : null;
    },

    /**
     * Marks the owner's file private from now on (a licence photo uploaded without `purpose=licence`, by an
     * older client, becomes private when the application is filed). False when it is not theirs.
     */
    async makePrivate(ownerId: string, fileId: string): Promise<boolean> {
      const res = await FileModel.updateOne({ _id: fileId, ownerId }, { $set: { private: true } });
      return res.matchedCount === 1;
    },

    /**
     * Images by id (missing ones left out) with URLs the viewer can open: a private file's is a signed URL
     * valid for SIGNED_URL_TTL_SECONDS. Only for viewers the caller has already allowed to see them.
     */
    async viewableImages(ids: readonly string[]): Promise<StoredImage[]> {
      const docs = await FileModel.find({ _id: { $in: ids } }).lean<FileDoc[]>();
      const byId = new Map(docs.map((d) => [d._id.toHexString(), d]));
      return ids.flatMap((id) => {
        const doc = byId.get(id);
        return doc ? [toImage(doc, urlOf(doc))] : [];
      });
    },

    /** Images by id, in the order asked; refuses ids that don't exist or belong to someone else. */
    async imagesOf(ownerId: string, ids: readonly string[]): Promise<StoredImage[]> {
      const docs = await FileModel.find({ _id: { $in: ids }, ownerId }).lean<FileDoc[]>();
      const byId = new Map(docs.map((d) => [d._id.toHexString(), d]));
      return ids.map((id) => {
        const doc = byId.get(id);
        if (!doc) throw new AppError('FILE_NOT_FOUND', { details: { id } });
        return toImage(doc, storage.urlFor(doc.key));
      });
    },

    async images(ids: readonly string[]): Promise<StoredImage[]> {
      const docs = await FileModel.find({ _id: { $in: ids } }).lean<FileDoc[]>();
      const byId = new Map(docs.map((d) => [d._id.toHexString(), d]));
      return ids.flatMap((id) => {
        const doc = byId.get(id);
        return doc ? [toImage(doc, storage.urlFor(doc.key))] : [];
      });
    },

    /** Records WeChat's pushed verdict; null when the trace id is not one of ours. */
    async applyVerdict(traceId: string, suggest: ContentSuggest, label: number): Promise<StoredImage | null> {
      const doc = await FileModel.findOneAndUpdate(
        { traceId },
        { $set: { safety: suggest, label, checkedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      return doc ? toImage(doc as FileDoc, storage.urlFor(doc.key)) : null;
    },
  };
}
