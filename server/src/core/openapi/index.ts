import Router from '@koa/router';
import { validate } from '../middleware';
import { buildOpenApiDocument } from './openapi';
import { DOCS_HTML, DOCS_SCRIPT } from './docs-page';

export { buildOpenApiDocument } from './openapi';

/** `GET /api/openapi.json` and the human-readable reference at `GET /api/docs`. */
export function createOpenApiRouter(routers: readonly Router[]): Router {
  const router = new Router();
  let document: unknown;
  // Public, like the reference itself; declared so the route table has no route without an access.
  const spec = validate({}, { summary: '本接口文档（OpenAPI 3.1）', tags: ['docs'], access: 'public' });
  const page = validate({}, { summary: '接口参考页面', tags: ['docs'], access: 'public' });
  router.get('/api/openapi.json', spec, (ctx) => {
    // Built on first request: every router is mounted by then and the spec never changes afterwards.
    document ??= buildOpenApiDocument([...routers, router]);
    ctx.body = document;
  });
  router.get('/api/docs', page, (ctx) => {
    ctx.type = 'html';
    ctx.body = DOCS_HTML;
  });
  router.get('/api/docs/docs.js', page, (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = DOCS_SCRIPT;
  });
  return router;
}
