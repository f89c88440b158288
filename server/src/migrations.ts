/**
 * The one-off data migrations, oldest first (core/migrations runs each once per database, at API start and by
 * `npm run migrate`). Each goes through the owning module's service. Add new ones at the end; never edit or
 * rename one that has shipped.
 */
import type { AppDeps } from './core/deps';
import type { Migration } from './core/migrations';
import type { Services } from './services';

export interface MigrationContext {
  deps: AppDeps;
  services: Services;
}

export const MIGRATIONS: readonly Migration<MigrationContext>[] = [
  {
    // #18: licence photos became private files; those uploaded before stayed public (reachable by plain URL).
    id: '2026-12-07-licence-photos-private',
    description: '商户入驻营业执照照片改为私有文件（#18 之前上传的仍可凭普通链接访问）',
    run: ({ services }) => services.merchants.privatiseLicencePhotos(),
  },
];
