import Router from '@koa/router';
import { buildOpenApiDocument } from './openapi';
import { DOCS_HTML, DOCS_SCRIPT } from './docs-page';

export { buildOpenApiDocument } from './openapi';

/** `GET /api/openapi.json` and the human-readable reference at `GET /api/docs`. */
export function createOpenApiRouter(routers: readonly Router[]): Router {
  const router = new Router();
  let document: unknown;
  router.get('/api/openapi.json', (ctx) => {
    // Built on first request: every router is mounted by then and the spec never changes afterwards.
    document ??= buildOpenApiDocument([...routers, router]);
    ctx.body = document;
  });
  router.get('/api/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = DOCS_HTML;
  });
  router.get('/api/docs/docs.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = DOCS_SCRIPT;
  });
  return router;
}
