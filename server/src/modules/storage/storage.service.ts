import { Types } from 'mongoose';
import { UPLOAD_MAX_BYTES, type SafetyState, type UploadResponse } from '@shared/schemas/newsroom';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { SEC_CHECK_SCENE, type ContentSuggest, type WechatClient } from '../../core/wechat';
import { IMAGE_TYPES, sniffImageType, type FileStorage } from './file-storage';
import { FileModel, type FileDoc } from './storage.model';
import type { UploadQuota } from './upload-quota';

export interface StorageServiceDeps {
  clock: Clock;
  logger: Logger;
  storage: FileStorage;
  wechat: Pick<WechatClient, 'mediaCheckAsync'>;
  quota: UploadQuota;
}

export interface StoredImage {
  id: string;
  url: string;
  ownerId: string;
  safety: SafetyState;
  label: number | null;
}

const toImage = (doc: FileDoc, storage: FileStorage): StoredImage => ({
  id: doc._id.toHexString(),
  url: storage.urlFor(doc.key),
  ownerId: doc.ownerId.toHexString(),
  safety: doc.safety,
  label: doc.label ?? null,
});

export type StorageService = ReturnType<typeof createStorageService>;

export function createStorageService({ clock, logger, storage, wechat, quota }: StorageServiceDeps) {
  return {
    /**
     * Stores an uploaded image after checking its size and real type (magic bytes), then asks WeChat to
     * check it; the verdict arrives later on the push URL. Staff accounts (no openid) are trusted. Each
     * stored file counts against its owner's daily quota (files and bytes), given back if storing fails.
     */
    async upload(owner: { id: string; openid: string | null }, data: Buffer): Promise<UploadResponse['file']> {
      if (data.length > UPLOAD_MAX_BYTES) throw new AppError('FILE_TOO_LARGE');
      const contentType = sniffImageType(data);
      if (!contentType) throw new AppError('FILE_TYPE_UNSUPPORTED');
      const id = new Types.ObjectId();
      const key = `${id.toHexString()}.${IMAGE_TYPES[contentType]}`;
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
          safety: owner.openid ? 'pending' : 'pass',
          createdAt: clock.now(),
        });
      } catch (err) {
        await reservation.release().catch(() => undefined);
        throw err;
      }
      if (owner.openid) {
        try {
          const { traceId } = await wechat.mediaCheckAsync({
            mediaUrl: storage.urlFor(key),
            mediaType: 'image',
            openid: owner.openid,
            scene: SEC_CHECK_SCENE.forum,
          });
          await FileModel.updateOne({ _id: id }, { $set: { traceId } });
        } catch (err) {
          // The upload stands; the piece waits (CONTENT_CHECK_PENDING) until a check verdict exists.
          logger.warn({ err, fileId: id.toHexString() }, 'mediaCheckAsync failed');
        }
      }
      return { id: id.toHexString(), url: storage.urlFor(key), contentType, size: data.length, safety: doc.safety };
    },

    async read(key: string): Promise<{ data: Buffer; contentType: string } | null> {
      const doc = await FileModel.findOne({ key }).lean<FileDoc>();
      if (!doc || doc.safety === 'risky') return null;
      const data = await storage.get(key);
      return data ? { data, contentType: doc.contentType } : null;
    },

    /** Images by id, in the order asked; refuses ids that don't exist or belong to someone else. */
    async imagesOf(ownerId: string, ids: readonly string[]): Promise<StoredImage[]> {
      const docs = await FileModel.find({ _id: { $in: ids }, ownerId }).lean<FileDoc[]>();
      const byId = new Map(docs.map((d) => [d._id.toHexString(), d]));
      return ids.map((id) => {
        const doc = byId.get(id);
        if (!doc) throw new AppError('FILE_NOT_FOUND', { details: { id } });
        return toImage(doc, storage);
      });
    },

    async images(ids: readonly string[]): Promise<StoredImage[]> {
      const docs = await FileModel.find({ _id: { $in: ids } }).lean<FileDoc[]>();
      const byId = new Map(docs.map((d) => [d._id.toHexString(), d]));
      return ids.flatMap((id) => {
        const doc = byId.get(id);
        return doc ? [toImage(doc, storage)] : [];
      });
    },

    /** Records WeChat's pushed verdict; null when the trace id is not one of ours. */
    async applyVerdict(traceId: string, suggest: ContentSuggest, label: number): Promise<StoredImage | null> {
      const doc = await FileModel.findOneAndUpdate(
        { traceId },
        { $set: { safety: suggest, label, checkedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      return doc ? toImage(doc as FileDoc, storage) : null;
    },
  };
}
