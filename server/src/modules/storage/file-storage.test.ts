import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalStorage, sniffImageType } from './file-storage';

describe('sniffImageType', () => {
  it('recognises JPEG, PNG, GIF and WebP by their first bytes', () => {
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
    expect(sniffImageType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffImageType(Buffer.from('GIF89a....', 'latin1'))).toBe('image/gif');
    expect(sniffImageType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
  });

  it('refuses anything else, including SVG (script-capable) and truncated headers', () => {
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'))).toBeNull();
    expect(sniffImageType(Buffer.from([0x89, 0x50, 0x4e]))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });
});

describe('local storage', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'file-storage-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stores and returns bytes by key, leaves no temp files, and builds the public URL', async () => {
    const storage = createLocalStorage(dir, 'https://api.example.cn');
    await storage.put('abc.png', Buffer.from('bytes'), 'image/png');
    expect((await storage.get('abc.png'))?.toString()).toBe('bytes');
    expect(await storage.get('missing.png')).toBeNull();
    expect(await readdir(dir)).toEqual(['abc.png']);
    expect(storage.urlFor('abc.png')).toBe('https://api.example.cn/api/v1/files/abc.png');
  });

  it('never leaves its folder: path-like keys are refused', async () => {
    const storage = createLocalStorage(dir, 'http://127.0.0.1:3000');
    expect(await storage.get('../etc/passwd')).toBeNull();
    await expect(storage.put('../escape.png', Buffer.from('x'), 'image/png')).rejects.toThrow('unsafe storage key');
  });
});
