import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Middleware } from 'koa';
import { AppError } from '../errors';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The console's own CSP: helmet's defaults (self-only scripts, no framing) without `upgrade-insecure-requests`
 * (the console is opened over plain http on a desk machine during development), with inline styles (Ant Design
 * writes its CSS-in-JS into <style> elements) and https images (uploads served from object storage).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join(';');

/** Vite names what it emits under assets/ by content hash: such a file never changes, so it may be cached for good. */
const IMMUTABLE = /^assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

async function fileAt(file: string): Promise<{ size: number; mtime: Date } | null> {
  try {
    const s = await stat(file);
    return s.isFile() ? { size: s.size, mtime: s.mtime } : null;
  } catch {
    return null;
  }
}

/**
 * Serves the staff console's build (`npm run build:console`) at /console. Hashed assets are cached for a year;
 * index.html is revalidated on every load (so a new build is picked up at once); any other path under /console/
 * is a client-side route and answers index.html. Missing build → 503 CONSOLE_NOT_BUILT. Other paths pass on.
 */
export function serveConsole(root: string): Middleware {
  const base = path.resolve(root);
  return async (ctx, next) => {
    const p = ctx.path;
    if (p !== '/console' && !p.startsWith('/console/')) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (p === '/console') {
      ctx.redirect('/console/');
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(p.slice('/console/'.length));
    } catch {
      throw new AppError('VALIDATION_FAILED', { message: '路径无效' });
    }
    let file = path.resolve(base, rel);
    // Never outside the build folder, whatever the path says (../, encoded or not).
    if (file !== base && !file.startsWith(base + path.sep)) return next();
    let found = rel === '' ? null : await fileAt(file);
    if (!found) {
      // A missing hashed asset is a stale page asking for an old build's file: 404, not the HTML shell.
      if (rel.startsWith('assets/')) return next();
      file = path.join(base, 'index.html');
      found = await fileAt(file);
      if (!found) throw new AppError('CONSOLE_NOT_BUILT');
    }
    const relative = path.relative(base, file).split(path.sep).join('/');
    ctx.set('Content-Security-Policy', CONSOLE_CSP);
    ctx.set('Cache-Control', IMMUTABLE.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.set('Last-Modified', found.mtime.toUTCString());
    ctx.type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    ctx.length = found.size;
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    // Koa sends no body for HEAD, and would leave a stream unread: open the file only for GET.
    if (ctx.method === 'GET') ctx.body = createReadStream(file);
  };
}
