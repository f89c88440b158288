import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SeedContext } from '../types';

/**
 * One of the seed's own pictures (scripts/seed/images, drawn by draw.ts; or its video, made by make-video.sh),
 * stored as the person's upload: the app loads it from our API like any photo, never from an outside host. Answered as the site-relative
 * /api/v1/files/… path (the API's own address is not known yet while the seed runs).
 */
export async function seedImage(services: SeedContext['services'], ownerId: string, file: string): Promise<string> {
  const stored = await seedUpload(services, ownerId, file);
  return new URL(stored.url, 'http://seed.invalid').pathname;
}

/** The same, answered as the stored file (its id is what forms such as 商户入驻's licence photo send). */
export async function seedUpload(services: SeedContext['services'], ownerId: string, file: string): Promise<{ id: string; url: string }> {
  const data = await readFile(path.join(__dirname, file));
  // openid null: the seed's pictures are ours, WeChat's image check has nothing to say about them.
  return services.storage.upload({ id: ownerId, openid: null }, data);
}

/** The drawn landscapes (contest-0.png … contest-7.png). */
export const SEED_PICTURES = 8;
