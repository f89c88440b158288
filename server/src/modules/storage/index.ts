import type { AppDeps, AppModule } from '../../app';
import { createUsersService } from '../users';
import { createLocalStorage } from './file-storage';
import { createStorageRouter } from './storage.routes';
import { createStorageService as createService, type StorageService } from './storage.service';

export { createLocalStorage, sniffImageType, type FileStorage } from './file-storage';
export type { StorageService, StoredImage } from './storage.service';

export function createStorageService(deps: AppDeps): StorageService {
  const storage = createLocalStorage(deps.config.storage.dir, deps.config.publicBaseUrl);
  return createService({ clock: deps.clock, logger: deps.logger, storage, wechat: deps.wechat });
}

/** Image uploads (checked by magic bytes, sent to WeChat's media check) and serving them back. */
export function createStorageModule(deps: AppDeps): AppModule & { service: StorageService } {
  const service = createStorageService(deps);
  const users = createUsersService(deps);
  return { router: createStorageRouter(service, (id) => users.openidOf(id)), service };
}
