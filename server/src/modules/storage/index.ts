import type { AppDeps, AppModule } from '../../core/deps';
import type { UsersService } from '../users';
import { createLocalStorage, type FileStorage } from './file-storage';
import { createS3Storage } from './s3-storage';
import { createStorageRouter } from './storage.routes';
import { createStorageService as createService, type StorageService } from './storage.service';
import { createUploadQuota } from './upload-quota';

export { createLocalStorage, sniffImageType, sniffMediaType, type FileStorage } from './file-storage';
export { createS3Storage, signS3Request } from './s3-storage';
export type { StorageService, StoredImage } from './storage.service';

export function createStorageService(deps: AppDeps): StorageService {
  const { storage: settings } = deps.config;
  // Read per URL: with PORT=0 and no PUBLIC_BASE_URL the port is known only once the API listens.
  const publicBaseUrl = () => deps.config.publicBaseUrl;
  // Chosen by STORAGE_DRIVER; both sit behind the same FileStorage interface.
  const storage: FileStorage = settings.s3 ? createS3Storage(settings.s3, publicBaseUrl) : createLocalStorage(settings.dir, publicBaseUrl);
  const { uploadFilesPerDay: filesPerDay, uploadBytesPerDay: bytesPerDay } = deps.config.rateLimits;
  const quota = createUploadQuota(deps.redis, deps.clock, { filesPerDay, bytesPerDay });
  return createService({
    clock: deps.clock,
    logger: deps.logger,
    storage,
    wechat: deps.wechat,
    quota,
    // The JWT secret (required in production); the service derives a key of its own from it.
    urlSecret: deps.config.jwtSecret,
  });
}

/** Image uploads (checked by magic bytes, sent to WeChat's media check) and serving them back. */
export function createStorageModule(_deps: AppDeps, { storage, users }: { storage: StorageService; users: UsersService }): AppModule {
  return { router: createStorageRouter(storage, (id) => users.openidOf(id)) };
}
