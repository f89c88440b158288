import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findRedisServerBinary } from './redis-server';

describe('findRedisServerBinary', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'redis-bin-'));
    await writeFile(path.join(dir, 'redis-server'), '#!/bin/sh\n');
    await chmod(path.join(dir, 'redis-server'), 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes the first redis-server on the PATH', () => {
    expect(findRedisServerBinary(`/nonexistent${path.delimiter}${dir}${path.delimiter}/usr/bin`)).toBe(path.join(dir, 'redis-server'));
  });

  it('falls back to the usual install locations when the PATH has none', () => {
    const usual = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'].find((p) => existsSync(p));
    expect(findRedisServerBinary('/nonexistent')).toBe(usual);
    expect(findRedisServerBinary(undefined)).toBeDefined();
  });
});
