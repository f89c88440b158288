import cors from '@koa/cors';
import { Router } from '@koa/router';
import Koa, { type Context } from 'koa';
import getRawBody from 'raw-body';
import { z } from 'zod';
import type { WechatFakeState } from './state';
import { WechatFakeError, wechatError } from './wechat-errors';

type Body = Record<string, unknown>;

/** WeChat parses POST bodies as JSON whatever the content type; anything else is 47001. */
async function readWechatBody(ctx: Context): Promise<Body> {
  const raw = await getRawBody(ctx.req, { limit: '1mb', encoding: 'utf8' });
  if (raw.trim() === '') throw new WechatFakeError(44002);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new WechatFakeError(47001);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new WechatFakeError(47001);
  if ('access_token' in parsed) throw new WechatFakeError(47001);
  return parsed as Body;
}

function query(ctx: Context): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(ctx.query)) out[key] = Array.isArray(value) ? value[0] : value;
  return out;
}

function wechatRoutes(state: WechatFakeState): Router {
  const router = new Router();

  router.get('/sns/jscode2session', (ctx) => {
    ctx.body = state.code2Session(query(ctx));
  });
  router.get('/cgi-bin/token', (ctx) => {
    ctx.body = state.plainToken(query(ctx));
  });
  router.post('/cgi-bin/stable_token', async (ctx) => {
    ctx.body = state.stableToken(await readWechatBody(ctx));
  });

  /** POST endpoints that take ?access_token=: method, then body, then token, like WeChat. */
  const authed = (path: string, handler: (body: Body, ctx: Context) => unknown) => {
    router.all(path, async (ctx) => {
      if (ctx.method !== 'POST') throw new WechatFakeError(43302);
      const body = await readWechatBody(ctx);
      state.checkAccessToken(query(ctx).access_token);
      ctx.body = await handler(body, ctx);
    });
  };
  authed('/wxa/msg_sec_check', (body) => state.msgSecCheck(body));
  authed('/wxa/media_check_async', (body) => state.mediaCheckAsync(body));
  authed('/cgi-bin/message/subscribe/send', (body) => state.sendSubscribe(body));
  authed('/wxa/business/getuserphonenumber', (body) => state.phoneNumber(body));
  authed('/wxa/getwxacodeunlimit', async (body, ctx) => {
    const png = await state.unlimitedQrCode(body);
    ctx.type = 'image/png';
    return png;
  });
  return router;
}

const isLoopback = (address: string | undefined) =>
  !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));

const suggest = z.enum(['pass', 'review', 'risky']);
const labelMap = z.record(z.string().min(1), z.number().int());
const controlSchemas = {
  loginCode: z
    .object({
      openid: z
        .string()
        .regex(/^[A-Za-z0-9_-]{6,64}$/)
        .optional(),
      unionid: z.string().min(1).optional(),
    })
    .strict(),
  phoneCode: z
    .object({
      phoneNumber: z.string().regex(/^\d{5,15}$/),
      countryCode: z
        .string()
        .regex(/^\d{1,4}$/)
        .optional(),
    })
    .strict(),
  secWords: z.object({ risky: labelMap.optional(), review: labelMap.optional() }).strict(),
  openids: z.object({ openids: z.array(z.string()) }).strict(),
  /** What wx.requestSubscribeMessage answered: template id → accept | reject | ban | filter. */
  subscriptions: z
    .object({
      openid: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
      results: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), z.enum(['accept', 'reject', 'ban', 'filter'])),
    })
    .strict(),
  mediaOutcomes: z
    .object({
      rules: z.array(
        z.object({ match: z.string().min(1), suggest, label: z.number().int().optional(), labelAsString: z.boolean().optional() }).strict(),
      ),
    })
    .strict(),
  pushMode: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('immediate') }).strict(),
    z.object({ mode: z.literal('manual') }).strict(),
    z.object({ mode: z.literal('delayed'), delayMs: z.number().int().min(0).max(600_000) }).strict(),
  ]),
  pushTarget: z.object({ url: z.url(), token: z.string().optional() }).strict(),
  push: z.object({ traceId: z.string().optional() }).strict(),
  failNext: z.object({ path: z.string().startsWith('/'), errcode: z.number().int(), times: z.number().int().min(1).optional() }).strict(),
  clock: z.object({ advanceMs: z.number().int().min(0) }).strict(),
  subscribeFailure: z.object({ openid: z.string().min(1), errcode: z.number().int(), times: z.number().int().min(1).optional() }).strict(),
};

async function readControlBody<T>(ctx: Context, schema: z.ZodType<T>): Promise<T> {
  const raw = await getRawBody(ctx.req, { limit: '100kb', encoding: 'utf8' });
  let parsed: unknown = {};
  try {
    if (raw.trim() !== '') parsed = JSON.parse(raw);
  } catch {
    ctx.throw(400, 'body is not JSON');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) ctx.throw(400, z.prettifyError(result.error));
  return result.data;
}

function controlRoutes(state: WechatFakeState): Router {
  const router = new Router({ prefix: '/__fake' });
  const s = controlSchemas;
  const ok = { ok: true };
  /** A control endpoint that hands its validated body to the fake's state and answers { ok: true }. */
  const command = <T>(method: 'put' | 'post', path: string, schema: z.ZodType<T>, apply: (body: T) => void) =>
    router[method](path, async (ctx) => {
      apply(await readControlBody(ctx, schema));
      ctx.body = ok;
    });

  router.post('/login-code', async (ctx) => {
    ctx.body = state.mintLoginCode(await readControlBody(ctx, s.loginCode));
  });
  router.post('/phone-code', async (ctx) => {
    ctx.body = state.mintPhoneCode(await readControlBody(ctx, s.phoneCode));
  });
  router.get('/sec-words', (ctx) => {
    ctx.body = state.getSecWords();
  });
  router.put('/sec-words', async (ctx) => {
    state.setSecWords(await readControlBody(ctx, s.secWords));
    ctx.body = state.getSecWords();
  });
  command('put', '/risky-users', s.openids, (body) => state.setRiskyUsers(body.openids));
  command('put', '/media-outcomes', s.mediaOutcomes, (body) => state.setMediaOutcomes(body.rules));
  command('put', '/media-push-mode', s.pushMode, (body) => state.setMediaPushMode(body));
  command('put', '/push-target', s.pushTarget, (body) => state.setPushTarget(body));
  router.post('/verify-push-url', async (ctx) => {
    ctx.body = await state.verifyPushUrl();
  });
  router.get('/media-checks', (ctx) => {
    ctx.body = { checks: state.listMediaChecks() };
  });
  router.post('/media-checks/push', async (ctx) => {
    ctx.body = { pushed: await state.pushMediaResults((await readControlBody(ctx, s.push)).traceId) };
  });
  router.get('/subscribe-messages', (ctx) => {
    const touser = typeof ctx.query.touser === 'string' ? ctx.query.touser : undefined;
    ctx.body = { messages: state.listSubscribeMessages(touser) };
  });
  router.delete('/subscribe-messages', (ctx) => {
    state.clearSubscribeMessages();
    ctx.body = ok;
  });
  // What the user answered wx.requestSubscribeMessage (the H5 stand-in's dialog, or a test): each accept allows one send.
  command('post', '/subscriptions', s.subscriptions, (body) => state.recordSubscriptions(body.openid, body.results));
  router.get('/subscriptions', (ctx) => {
    const openid = typeof ctx.query.openid === 'string' ? ctx.query.openid : '';
    ctx.body = { subscriptions: state.subscriptionsOf(openid) };
  });
  command('post', '/fail-next', s.failNext, (body) => state.failNext(body));
  command('post', '/subscribe-failures', s.subscribeFailure, (body) => state.failSubscribeTo(body));
  command('post', '/clock', s.clock, (body) => state.advanceClock(body.advanceMs));
  router.post('/revoke-tokens', (ctx) => {
    state.revokeAccessTokens();
    ctx.body = ok;
  });
  router.get('/calls', (ctx) => {
    ctx.body = state.callCounts();
  });
  router.post('/reset', (ctx) => {
    state.reset();
    ctx.body = ok;
  });
  return router;
}

/** Control endpoints the H5 build's stand-ins for wx.login and wx.requestSubscribeMessage call from the browser. */
const BROWSER_CONTROLS = new Set(['/__fake/login-code', '/__fake/subscriptions']);

/** The fake's Koa app: WeChat's API paths plus the /__fake control endpoints (loopback only). */
export function createWechatFakeApp(state: WechatFakeState, log?: (msg: string) => void): Koa {
  const app = new Koa();
  const wechat = wechatRoutes(state);
  const control = controlRoutes(state);
  // The H5 dev build of the mini-program fetches login codes and answers subscription dialogs from the browser.
  const loginCodeCors = cors({ allowMethods: ['POST'], allowHeaders: ['content-type'] });

  app.use(async (ctx, next) => {
    if (ctx.path.startsWith('/__fake/')) {
      try {
        if (!isLoopback(ctx.socket.remoteAddress)) ctx.throw(403, 'control endpoints are loopback only');
        await next();
      } catch (err) {
        const status = (err as { status?: number }).status ?? 500;
        ctx.status = status;
        ctx.body = { error: status < 500 && err instanceof Error ? err.message : 'internal error' };
        if (status >= 500) log?.(`wechat-fake: ${ctx.method} ${ctx.path} failed: ${String(err)}`);
      }
      return;
    }
    // WeChat answers every API error as HTTP 200 with an errcode body.
    try {
      state.recordCall(ctx.path);
      await next();
      if (ctx.body === undefined || ctx.body === null) ctx.body = wechatError(-1, `no such api ${ctx.path}`);
    } catch (err) {
      if (err instanceof WechatFakeError) {
        ctx.body = wechatError(err.errcode, err.detail);
      } else {
        log?.(`wechat-fake: ${ctx.method} ${ctx.path} failed: ${String(err)}`);
        ctx.body = wechatError(-1);
      }
    }
    ctx.status = 200;
  });
  app.use((ctx, next) => (BROWSER_CONTROLS.has(ctx.path) ? loginCodeCors(ctx, next) : next()));
  app.use(control.routes());
  app.use(wechat.routes());
  return app;
}
