import type Router from '@koa/router';
import busboy from 'busboy';
import type { Context } from 'koa';
import { fileReadQuerySchema, UPLOAD_MAX_BYTES, uploadQuerySchema, uploadResponseSchema } from '@shared/schemas/newsroom';
import { z } from 'zod';
import { can, currentUser } from '../../core/auth';
import { AppError } from '../../core/errors';
import { routes } from '../../core/middleware';
import type { StorageService } from './storage.service';

/**
 * One `Range: bytes=a-b` (or `a-`, or the last `-n`) within a file of `size` bytes; null when there is none or it
 * is not a single byte range (answered whole, as RFC 9110 allows); 'unsatisfiable' when it starts past the end.
 */
export function byteRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const last = Math.min(Number(m[2]), size);
    return last === 0 ? 'unsatisfiable' : { start: size - last, end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  return end < start ? null : { start, end };
}

/** The first file of a multipart upload (Taro.uploadFile), or a raw image body; over the limit → FILE_TOO_LARGE. */
async function readUpload(ctx: Context): Promise<Buffer> {
  const type = ctx.get('content-type');
  if (type.startsWith('multipart/form-data')) {
    return new Promise((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: ctx.req.headers, limits: { files: 1, fileSize: UPLOAD_MAX_BYTES, fields: 10 } });
      } catch {
        reject(new AppError('UNSUPPORTED_MEDIA_TYPE'));
        return;
      }
      let file: Promise<Buffer> | null = null;
      parser.on('file', (_name, stream) => {
        file = new Promise((res, rej) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('limit', () => rej(new AppError('FILE_TOO_LARGE')));
          // A body cut off inside the file errors this stream too; unheard, that error would crash the process.
          stream.on('error', () => rej(new AppError('VALIDATION_FAILED', { message: '上传内容格式有误' })));
          stream.on('end', () => res(Buffer.concat(chunks)));
        });
        file.catch(() => undefined);
      });
      parser.on('error', () => reject(new AppError('VALIDATION_FAILED', { message: '上传内容格式有误' })));
      parser.on('close', () =>
        file ? file.then(resolve, reject) : reject(new AppError('VALIDATION_FAILED', { message: '没有收到文件' })),
      );
      ctx.req.pipe(parser);
    });
  }
  if (type.startsWith('image/') || type.startsWith('application/octet-stream')) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > UPLOAD_MAX_BYTES) throw new AppError('FILE_TOO_LARGE');
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }
  throw new AppError('UNSUPPORTED_MEDIA_TYPE');
}

export function createStorageRouter(service: StorageService, openidOf: (userId: string) => Promise<string | null>): Router {
  const api = routes(['files']);

  api.post(
    '/api/v1/files',
    {
      query: uploadQuerySchema,
      summary:
        '上传图片（multipart 字段 file，或图片原文；≤5MB，JPEG/PNG/WebP/GIF，工作人员另可传 MP4 视频；purpose=licence 存为私有，只能凭签名链接读取）',
      response: uploadResponseSchema,
      status: 201,
      access: 'signed_in',
    },
    async ({ query }, ctx) => {
      const user = currentUser(ctx);
      const data = await readUpload(ctx);
      const editor = can(user, { anyOf: ['editor'] });
      return { file: await service.upload({ id: user.id, openid: await openidOf(user.id), editor }, data, query.purpose) };
    },
  );
  api.get(
    '/api/v1/files/:key',
    {
      params: z.object({ key: z.string().regex(/^[0-9a-f]{24}\.(jpg|png|gif|webp|mp4)$/) }).strict(),
      query: fileReadQuerySchema,
      summary: '读取已上传图片或视频（视频支持 Range 分段读取；私有文件只凭 exp/sig 签名链接，签名错误或过期与不存在一样答 404）',
      access: 'public',
    },
    async ({ params, query }, ctx) => {
      const file = await service.read(params.key, query);
      if (!file) throw new AppError('FILE_NOT_FOUND');
      ctx.type = file.contentType;
      // A private file: only this browser may keep it, and no longer than its signature lasts. Otherwise keys
      // are never reused: the bytes behind a URL never change.
      ctx.set('Cache-Control', file.privateFor === null ? 'public, max-age=31536000, immutable' : `private, max-age=${file.privateFor}`);
      // helmet's default (same-origin) would stop the H5 app on another origin from showing the picture.
      ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
      ctx.set('Accept-Ranges', 'bytes');
      // Players (iOS's, WeChat's) ask for a video in byte ranges and will not play one answered whole.
      const range = byteRange(ctx.get('Range'), file.data.length);
      if (range === 'unsatisfiable') {
        ctx.status = 416;
        ctx.set('Content-Range', `bytes */${file.data.length}`);
        ctx.body = '';
        return undefined;
      }
      if (range) {
        ctx.status = 206;
        ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${file.data.length}`);
        ctx.body = file.data.subarray(range.start, range.end + 1);
        return undefined;
      }
      ctx.body = file.data;
      return undefined;
    },
  );

  return api.router;
}
