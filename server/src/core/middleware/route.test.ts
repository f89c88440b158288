import Koa from 'koa';
import request from 'supertest';
import { z } from 'zod';
import type { Role } from '@shared/roles';
import { isAppError, STATUS_BY_KIND } from '../errors';
import { jsonBody } from './body-parser';
import { guardFor, routes } from './route';

/** A Koa app with just enough around the table: errors as status + code, a user from a test header. */
function appWith(declare: (api: ReturnType<typeof routes>) => void): Koa {
  const api = routes(['test']);
  declare(api);
  const koa = new Koa();
  koa.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!isAppError(err)) throw err;
      ctx.status = STATUS_BY_KIND[err.kind];
      ctx.body = { code: err.code };
    }
  });
  koa.use(jsonBody('64kb'));
  koa.use(async (ctx, next) => {
    const role = ctx.get('x-test-role');
    if (role) ctx.state.user = { id: 'u1', tokenId: 't1', tokenExp: 0, roles: role === 'citizen' ? [] : [{ role: role as Role }] };
    await next();
  });
  koa.use(api.router.routes());
  return koa;
}

describe('routes(): one declaration per route', () => {
  const app = appWith((api) => {
    api.post(
      '/things/:id',
      {
        params: z.object({ id: z.string().regex(/^\d+$/) }),
        body: z.object({ n: z.number().int() }),
        summary: '测试',
        status: 201,
        access: { roles: ['editor'] },
      },
      ({ params, body }) => ({ id: params.id, doubled: body.n * 2 }),
    );
    api.get('/open', { summary: '公开', access: 'public' }, (_input, ctx) => {
      ctx.status = 204;
      return undefined;
    });
    api.get('/mine', { summary: '本人', access: { owner: 'the caller' } }, (_input, ctx) => ({ who: ctx.state.user?.id }));
  });

  it('answers the returned body with the declared status and the validated, parsed input', async () => {
    const res = await request(app.callback()).post('/things/7').set('x-test-role', 'editor').send({ n: 21 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: '7', doubled: 42 });
  });

  it('guards before it validates: a stranger gets 401/403, not a field error', async () => {
    const anonymous = await request(app.callback()).post('/things/x').send({ n: 'no' });
    expect(anonymous.status).toBe(401);
    const citizen = await request(app.callback()).post('/things/x').set('x-test-role', 'citizen').send({ n: 'no' });
    expect(citizen.status).toBe(403);
    const editor = await request(app.callback()).post('/things/x').set('x-test-role', 'editor').send({ n: 'no' });
    expect(editor.status).toBe(400);
    expect(editor.body.code).toBe('VALIDATION_FAILED');
  });

  it('leaves ctx alone when the handler answers by itself', async () => {
    const res = await request(app.callback()).get('/open');
    expect(res.status).toBe(204);
  });

  it('lets an owner rule through the door to any signed-in user (the service decides)', async () => {
    expect((await request(app.callback()).get('/mine')).status).toBe(401);
    const res = await request(app.callback()).get('/mine').set('x-test-role', 'citizen');
    expect(res.body).toEqual({ who: 'u1' });
  });

  it('maps each access to its guard', () => {
    expect(guardFor('public')).toHaveLength(0);
    expect(guardFor('signed_in')).toHaveLength(1);
    expect(guardFor({ owner: 'x' })).toHaveLength(1);
    expect(guardFor({ roles: ['admin'], owner: 'x' })).toHaveLength(1);
    expect(guardFor({ roles: ['admin'] })).toHaveLength(1);
  });
});
