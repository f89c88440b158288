import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * Serves the H5 build of the mini-program (miniprogram/dist/h5) and forwards /api/* (and the health
 * checks) to the API, so the browser app talks to its own origin: no CORS, and the relative API base
 * of the H5 build just works. `/__h5-config.json` tells the app at run time where the WeChat fake is
 * (dev citizen login); it answers null in production.
 */
export interface H5ServerOptions {
  /** The built app (index.html + js/ + css/). */
  root: string;
  /** The API origin, e.g. http://127.0.0.1:3000 */
  apiUrl: string;
  wechatFakeUrl?: string | null;
  host?: string;
  port?: number;
}

export interface RunningH5Server {
  url: string;
  stop: () => Promise<void>;
}

export const DEFAULT_H5_ROOT = path.resolve(__dirname, '..', 'miniprogram', 'dist', 'h5');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

const PROXIED = /^\/(api\/|healthz$|readyz$)/;

export async function h5BuildExists(root = DEFAULT_H5_ROOT): Promise<boolean> {
  return fs
    .stat(path.join(root, 'index.html'))
    .then((s) => s.isFile())
    .catch(() => false);
}

export async function startH5Server(opts: H5ServerOptions): Promise<RunningH5Server> {
  const root = path.resolve(opts.root);
  const api = new URL(opts.apiUrl);

  const proxy = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const upstream = http.request(
      { host: api.hostname, port: api.port, method: req.method, path: req.url, headers: { ...req.headers, host: api.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: '服务暂时不可用，请稍后再试' } }));
    });
    req.pipe(upstream);
  };

  const serveFile = async (urlPath: string, res: http.ServerResponse, method: string) => {
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, `.${path.posix.normalize(rel)}`);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    let target = file;
    let stat = await fs.stat(target).catch(() => null);
    // Hash routing keeps page paths out of the URL; anything else unknown without an extension is the app.
    if (!stat?.isFile() && !path.extname(rel)) {
      target = path.join(root, 'index.html');
      stat = await fs.stat(target).catch(() => null);
    }
    if (!stat?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const isHtml = target.endsWith('.html');
    res.writeHead(200, {
      'content-type': TYPES[path.extname(target).toLowerCase()] ?? 'application/octet-stream',
      'content-length': stat.size,
      // Built assets carry content hashes; index.html must always be fresh.
      'cache-control': isHtml ? 'no-cache' : 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
    if (method === 'HEAD') res.end();
    else createReadStream(target).pipe(res);
  };

  const server = http.createServer((req, res) => {
    const urlPath = (req.url ?? '/').split('?')[0] ?? '/';
    if (PROXIED.test(urlPath)) return proxy(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (urlPath === '/__h5-config.json') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ wechatFakeUrl: opts.wechatFakeUrl ?? null }));
      return;
    }
    serveFile(urlPath, res, req.method).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
