import { createHash, randomBytes, randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import { findInvalidSubscribeValue } from './subscribe-data';
import type {
  MediaCheckRecord,
  MediaOutcomeRule,
  MediaPushMode,
  SecWords,
  SentSubscribeMessage,
  Suggest,
  WechatFakeControl,
  WechatFakeOptions,
} from './types';
import { WechatFakeError } from './wechat-errors';

const MINUTE = 60_000;
const CODE_TTL_MS = 5 * MINUTE;
/** stable_token renews in the last 5 minutes; /cgi-bin/token keeps the previous token alive 5 minutes. */
const TOKEN_OVERLAP_MS = 5 * MINUTE;
const CODE2SESSION_PER_USER_PER_MINUTE = 100;
const FORCE_REFRESH_MIN_GAP_MS = 30_000;
const FORCE_REFRESH_PER_DAY = 20;
const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@._~-]+$/;
const PAGE_PATH = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
const OPENID = /^[A-Za-z0-9_-]{6,64}$/;
const DEFAULT_LABEL: Record<Suggest, number> = { pass: 100, review: 21000, risky: 20002 };

const DEFAULT_SEC_WORDS: SecWords = {
  risky: { 赌博: 20006, 色情: 20002, 诈骗: 20008 },
  review: { 加微信: 10001, 代购: 10001 },
};

type Body = Record<string, unknown>;

interface CodeEntry<T> {
  value: T;
  expiresAt: number;
  used: boolean;
}

const randomToken = (bytes: number) => randomBytes(bytes).toString('base64url');
const newOpenid = () => `o${randomToken(21).slice(0, 27)}`;

/** All in-memory state of the fake and the WeChat behaviour on top of it. */
export class WechatFakeState implements WechatFakeControl {
  private clockOffset = 0;
  private users = new Map<string, { unionid?: string; sessionKey?: string }>();
  private loginCodes = new Map<string, CodeEntry<string>>();
  private phoneCodes = new Map<string, CodeEntry<{ phoneNumber: string; countryCode: string }>>();
  private tokens = new Map<string, number>();
  private stable: { token: string; expiresAt: number } | null = null;
  private lastPlainToken: string | null = null;
  private forceRefreshes: number[] = [];
  private riskyUsers = new Set<string>();
  private code2SessionHits = new Map<string, number[]>();
  private secWords: SecWords = structuredClone(DEFAULT_SEC_WORDS);
  private mediaRules: MediaOutcomeRule[] = [];
  private mediaChecks = new Map<string, MediaCheckRecord>();
  private pushMode: MediaPushMode;
  private pushTarget: { url?: string; token?: string };
  private subscribeMessages: SentSubscribeMessage[] = [];
  /** `openid\ntemplateId` → acceptances not yet used by a send (one-time subscriptions). */
  private acceptances = new Map<string, number>();
  private failures = new Map<string, { errcode: number; times: number }>();
  /** openid → errcode the next subscribe sends to that user answer (a failure only one test's user sees). */
  private subscribeFailures = new Map<string, { errcode: number; times: number }>();
  private calls: Record<string, number> = {};
  private timers = new Set<NodeJS.Timeout>();
  private readonly tokenTtlMs: number;

  constructor(private readonly options: WechatFakeOptions) {
    this.tokenTtlMs = (options.tokenTtlSeconds ?? 7200) * 1000;
    this.pushMode = options.mediaPush ?? { mode: 'immediate' };
    this.pushTarget = { url: options.pushUrl, token: options.pushToken };
  }

  now(): number {
    return Date.now() + this.clockOffset;
  }

  // ── bookkeeping used by the HTTP layer ──────────────────────────────────────
  recordCall(path: string): void {
    this.calls[path] = (this.calls[path] ?? 0) + 1;
    const failure = this.failures.get(path);
    if (!failure) return;
    failure.times -= 1;
    if (failure.times <= 0) this.failures.delete(path);
    throw new WechatFakeError(failure.errcode);
  }

  checkAccessToken(token: string | undefined): void {
    if (!token) throw new WechatFakeError(41001);
    const expiresAt = this.tokens.get(token);
    if (expiresAt === undefined) throw new WechatFakeError(40001);
    if (expiresAt <= this.now()) throw new WechatFakeError(42001);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  // ── WeChat API behaviour ────────────────────────────────────────────────────
  code2Session(q: { appid?: string; secret?: string; js_code?: string; grant_type?: string }) {
    this.checkApp(q.appid, q.secret);
    if (q.grant_type !== 'authorization_code') throw new WechatFakeError(40002);
    if (!q.js_code) throw new WechatFakeError(40029);
    const openid = this.consumeCode(this.loginCodes, q.js_code, 40163);
    const now = this.now();
    const hits = (this.code2SessionHits.get(openid) ?? []).filter((t) => t > now - MINUTE);
    if (hits.length >= CODE2SESSION_PER_USER_PER_MINUTE) throw new WechatFakeError(45011);
    hits.push(now);
    this.code2SessionHits.set(openid, hits);
    if (this.riskyUsers.has(openid)) throw new WechatFakeError(40226);
    const user = this.users.get(openid) ?? {};
    user.sessionKey = randomBytes(16).toString('base64');
    this.users.set(openid, user);
    return { openid, session_key: user.sessionKey, ...(user.unionid ? { unionid: user.unionid } : {}) };
  }

  plainToken(q: { grant_type?: string; appid?: string; secret?: string }) {
    if (q.grant_type !== 'client_credential') throw new WechatFakeError(40002);
    this.checkApp(q.appid, q.secret);
    const now = this.now();
    // Every call replaces the previous token, which stays valid for 5 more minutes.
    if (this.lastPlainToken) {
      const prev = this.tokens.get(this.lastPlainToken);
      if (prev !== undefined) this.tokens.set(this.lastPlainToken, Math.min(prev, now + TOKEN_OVERLAP_MS));
    }
    this.lastPlainToken = this.issueToken(now);
    return { access_token: this.lastPlainToken, expires_in: this.tokenTtlMs / 1000 };
  }

  stableToken(body: Body) {
    if (body.grant_type !== 'client_credential') throw new WechatFakeError(40002);
    this.checkApp(body.appid, body.secret);
    if (body.force_refresh !== undefined && typeof body.force_refresh !== 'boolean') throw new WechatFakeError(47001);
    const now = this.now();
    if (body.force_refresh) {
      this.forceRefreshes = this.forceRefreshes.filter((t) => t > now - 24 * 60 * MINUTE);
      if (this.forceRefreshes.length >= FORCE_REFRESH_PER_DAY) throw new WechatFakeError(45009);
      const last = this.forceRefreshes[this.forceRefreshes.length - 1];
      if (last !== undefined && now - last < FORCE_REFRESH_MIN_GAP_MS) throw new WechatFakeError(45011);
      this.forceRefreshes.push(now);
      if (this.stable) this.tokens.delete(this.stable.token);
      this.stable = null;
    }
    if (!this.stable || this.stable.expiresAt - now <= TOKEN_OVERLAP_MS) {
      // The previous stable token (if any) keeps its own expiry: callers holding it are not revoked.
      this.stable = { token: this.issueToken(now), expiresAt: now + this.tokenTtlMs };
    }
    return { access_token: this.stable.token, expires_in: Math.ceil((this.stable.expiresAt - now) / 1000) };
  }

  msgSecCheck(body: Body) {
    if (body.version !== 2) throw new WechatFakeError(47001, 'version');
    this.requireKnownOpenid(body.openid);
    this.requireScene(body.scene);
    if (body.content === undefined || body.content === '') throw new WechatFakeError(44002);
    if (typeof body.content !== 'string' || [...body.content].length > 2500) throw new WechatFakeError(47001, 'content');
    const text = ['content', 'title', 'nickname', 'signature']
      .map((k) => (typeof body[k] === 'string' ? (body[k] as string) : ''))
      .join('\n');
    const risky = Object.entries(this.secWords.risky).find(([w]) => text.includes(w));
    const review = risky ? undefined : Object.entries(this.secWords.review).find(([w]) => text.includes(w));
    const hit = risky ?? review;
    const suggest: Suggest = risky ? 'risky' : review ? 'review' : 'pass';
    const label = hit ? hit[1] : 100;
    return {
      errcode: 0,
      errmsg: 'ok',
      trace_id: this.traceId(),
      result: { suggest, label },
      detail: [
        { strategy: 'content_model', errcode: 0, suggest, label, prob: hit ? 90 : 0 },
        hit
          ? { strategy: 'keyword', errcode: 0, suggest, label, keyword: hit[0], level: risky ? 90 : 60 }
          : { strategy: 'keyword', errcode: 0 },
      ],
    };
  }

  mediaCheckAsync(body: Body) {
    if (body.version !== 2) throw new WechatFakeError(47001, 'version');
    if (typeof body.media_url !== 'string' || !/^https?:\/\/\S+$/.test(body.media_url)) throw new WechatFakeError(47001, 'media_url');
    if (body.media_type !== 1 && body.media_type !== 2) throw new WechatFakeError(47001, 'media_type');
    const openid = this.requireKnownOpenid(body.openid);
    const scene = this.requireScene(body.scene);
    const rule = this.mediaRules.find((r) => (body.media_url as string).includes(r.match));
    const suggest = rule?.suggest ?? 'pass';
    const record: MediaCheckRecord = {
      traceId: this.traceId(),
      mediaUrl: body.media_url,
      mediaType: body.media_type,
      openid,
      scene,
      suggest,
      label: rule?.label ?? DEFAULT_LABEL[suggest],
      labelAsString: rule?.labelAsString ?? false,
      createdAt: this.now(),
      status: 'pending',
    };
    this.mediaChecks.set(record.traceId, record);
    if (this.pushMode.mode !== 'manual') {
      // Never before the response: WeChat answers the request first and pushes later.
      const delay = this.pushMode.mode === 'delayed' ? this.pushMode.delayMs : 0;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        // A test may have pushed it explicitly in the meantime.
        if (record.status === 'pending') void this.deliver(record);
      }, delay);
      this.timers.add(timer);
    }
    return { errcode: 0, errmsg: 'ok', trace_id: record.traceId };
  }

  sendSubscribe(body: Body) {
    const templateIds = this.options.templateIds;
    if (typeof body.template_id !== 'string' || (templateIds && !templateIds.includes(body.template_id))) {
      throw new WechatFakeError(40037);
    }
    const touser = this.requireKnownOpenid(body.touser);
    const failure = this.subscribeFailures.get(touser);
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) this.subscribeFailures.delete(touser);
      throw new WechatFakeError(failure.errcode);
    }
    if (body.page !== undefined) {
      if (typeof body.page !== 'string' || !this.pageExists(body.page.replace(/^\//, '').split('?')[0] ?? '')) {
        throw new WechatFakeError(41030);
      }
    }
    if (body.miniprogram_state !== undefined && !['developer', 'trial', 'formal'].includes(body.miniprogram_state as string)) {
      throw new WechatFakeError(47001, 'miniprogram_state');
    }
    if (typeof body.data !== 'object' || body.data === null || Array.isArray(body.data)) throw new WechatFakeError(47003, 'data');
    const invalid = findInvalidSubscribeValue(body.data as Record<string, unknown>);
    if (invalid) throw new WechatFakeError(47003, `${invalid} invalid`);
    // As WeChat: a one-time subscription allows one message per acceptance; without one, 43101.
    const acceptance = `${touser}\n${body.template_id}`;
    const left = this.acceptances.get(acceptance) ?? 0;
    if (left <= 0) throw new WechatFakeError(43101);
    this.acceptances.set(acceptance, left - 1);
    this.subscribeMessages.push({
      touser,
      templateId: body.template_id,
      ...(typeof body.page === 'string' ? { page: body.page } : {}),
      data: structuredClone(body.data) as Record<string, { value: string }>,
      ...(typeof body.miniprogram_state === 'string' ? { miniprogramState: body.miniprogram_state } : {}),
      ...(typeof body.lang === 'string' ? { lang: body.lang } : {}),
      sentAt: this.now(),
    });
    return { errcode: 0, errmsg: 'ok', msgid: randomInt(1e9, 1e10) };
  }

  /** Renders the mini-program code as a real QR PNG encoding `wxacode:<page>?scene=<scene>`. */
  async unlimitedQrCode(body: Body): Promise<Buffer> {
    const scene = body.scene;
    if (typeof scene !== 'string' || scene.length === 0 || scene.length > 32) throw new WechatFakeError(40169);
    if (!SCENE_CHARS.test(scene)) throw new WechatFakeError(40129);
    const page = body.page === undefined ? 'pages/index/index' : body.page;
    if (typeof page !== 'string' || page.startsWith('/') || page.includes('?')) throw new WechatFakeError(41030);
    if (body.check_path !== false && !this.pageExists(page)) throw new WechatFakeError(41030);
    if (body.env_version !== undefined && !['release', 'trial', 'develop'].includes(body.env_version as string)) {
      throw new WechatFakeError(47001, 'env_version');
    }
    const width = typeof body.width === 'number' ? Math.min(1280, Math.max(280, Math.round(body.width))) : 430;
    const line = body.line_color as { r?: unknown; g?: unknown; b?: unknown } | undefined;
    const hex = (v: unknown) =>
      Math.min(255, Math.max(0, Number(v) || 0))
        .toString(16)
        .padStart(2, '0');
    const dark = line && body.auto_color !== true ? `#${hex(line.r)}${hex(line.g)}${hex(line.b)}ff` : '#000000ff';
    const light = body.is_hyaline === true ? '#ffffff00' : '#ffffffff';
    return QRCode.toBuffer(`wxacode:${page}?scene=${encodeURIComponent(scene)}`, {
      type: 'png',
      width,
      margin: 2,
      errorCorrectionLevel: 'M',
      color: { dark, light },
    });
  }

  phoneNumber(body: Body) {
    if (typeof body.code !== 'string' || body.code === '') throw new WechatFakeError(40029);
    const phone = this.consumeCode(this.phoneCodes, body.code, 40029);
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: phone.countryCode === '86' ? phone.phoneNumber : `+${phone.countryCode}${phone.phoneNumber}`,
        purePhoneNumber: phone.phoneNumber,
        countryCode: phone.countryCode,
        watermark: { timestamp: Math.floor(this.now() / 1000), appid: this.options.appId },
      },
    };
  }

  // ── control API ─────────────────────────────────────────────────────────────
  mintLoginCode(input: { openid?: string; unionid?: string } = {}) {
    const openid = input.openid ?? newOpenid();
    const user = this.users.get(openid) ?? {};
    if (input.unionid) user.unionid = input.unionid;
    this.users.set(openid, user);
    const code = randomToken(24);
    this.loginCodes.set(code, { value: openid, expiresAt: this.now() + CODE_TTL_MS, used: false });
    return { code, openid, ...(user.unionid ? { unionid: user.unionid } : {}) };
  }

  mintPhoneCode(input: { phoneNumber: string; countryCode?: string }) {
    const code = randomToken(24);
    const phone = { phoneNumber: input.phoneNumber, countryCode: input.countryCode ?? '86' };
    this.phoneCodes.set(code, { value: phone, expiresAt: this.now() + CODE_TTL_MS, used: false });
    return { code };
  }

  setSecWords(words: Partial<SecWords>): void {
    this.secWords = { ...this.secWords, ...structuredClone(words) };
  }

  getSecWords(): SecWords {
    return structuredClone(this.secWords);
  }

  setRiskyUsers(openids: string[]): void {
    this.riskyUsers = new Set(openids);
  }

  setMediaOutcomes(rules: MediaOutcomeRule[]): void {
    this.mediaRules = structuredClone(rules);
  }

  setMediaPushMode(mode: MediaPushMode): void {
    this.pushMode = { ...mode };
  }

  setPushTarget(target: { url: string; token?: string }): void {
    this.pushTarget = { url: target.url, token: target.token ?? this.pushTarget.token };
  }

  listMediaChecks(): MediaCheckRecord[] {
    return [...this.mediaChecks.values()].map((r) => ({ ...r }));
  }

  async verifyPushUrl(): Promise<{ ok: boolean; status?: number; body?: string; error?: string }> {
    if (!this.pushTarget.url) return { ok: false, error: 'no push URL configured' };
    const echostr = randomBytes(8).readBigUInt64BE().toString();
    const target = this.signedPushUrl(this.pushTarget.url);
    target.searchParams.set('echostr', echostr);
    try {
      const res = await fetch(target, { signal: AbortSignal.timeout(5000) });
      const body = await res.text();
      return { ok: res.status === 200 && body === echostr, status: res.status, body };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async pushMediaResults(traceId?: string): Promise<MediaCheckRecord[]> {
    const due = [...this.mediaChecks.values()].filter((r) => r.status !== 'delivered' && (traceId === undefined || r.traceId === traceId));
    for (const record of due) await this.deliver(record);
    return due.map((r) => ({ ...r }));
  }

  listSubscribeMessages(touser?: string): SentSubscribeMessage[] {
    return structuredClone(this.subscribeMessages.filter((m) => touser === undefined || m.touser === touser));
  }

  clearSubscribeMessages(): void {
    this.subscribeMessages = [];
  }

  recordSubscriptions(openid: string, results: Record<string, 'accept' | 'reject' | 'ban' | 'filter'>): void {
    for (const [templateId, answer] of Object.entries(results)) {
      const key = `${openid}\n${templateId}`;
      if (answer === 'accept') this.acceptances.set(key, (this.acceptances.get(key) ?? 0) + 1);
      else if (answer === 'ban') this.acceptances.delete(key);
    }
  }

  subscriptionsOf(openid: string): Record<string, number> {
    const prefix = `${openid}\n`;
    return Object.fromEntries(
      [...this.acceptances].filter(([key, n]) => key.startsWith(prefix) && n > 0).map(([key, n]) => [key.slice(prefix.length), n]),
    );
  }

  failNext(input: { path: string; errcode: number; times?: number }): void {
    this.failures.set(input.path, { errcode: input.errcode, times: input.times ?? 1 });
  }

  failSubscribeTo(input: { openid: string; errcode: number; times?: number }): void {
    this.subscribeFailures.set(input.openid, { errcode: input.errcode, times: input.times ?? 1 });
  }

  advanceClock(ms: number): void {
    this.clockOffset += ms;
  }

  revokeAccessTokens(): void {
    this.tokens.clear();
    this.stable = null;
    this.lastPlainToken = null;
  }

  callCounts(): Record<string, number> {
    return { ...this.calls };
  }

  reset(): void {
    this.stop();
    this.clockOffset = 0;
    this.users.clear();
    this.loginCodes.clear();
    this.phoneCodes.clear();
    this.revokeAccessTokens();
    this.forceRefreshes = [];
    this.riskyUsers.clear();
    this.code2SessionHits.clear();
    this.secWords = structuredClone(DEFAULT_SEC_WORDS);
    this.mediaRules = [];
    this.mediaChecks.clear();
    this.pushMode = this.options.mediaPush ?? { mode: 'immediate' };
    this.subscribeMessages = [];
    this.acceptances.clear();
    this.failures.clear();
    this.subscribeFailures.clear();
    this.calls = {};
  }

  // ── helpers ─────────────────────────────────────────────────────────────────
  private checkApp(appid: unknown, secret: unknown): void {
    if (appid !== this.options.appId) throw new WechatFakeError(40013);
    if (secret !== this.options.appSecret) throw new WechatFakeError(40125);
  }

  private consumeCode<T>(codes: Map<string, CodeEntry<T>>, code: string, usedErrcode: number): T {
    const entry = codes.get(code);
    if (!entry || entry.expiresAt <= this.now()) throw new WechatFakeError(40029);
    if (entry.used) throw new WechatFakeError(usedErrcode);
    entry.used = true;
    return entry.value;
  }

  private issueToken(now: number): string {
    const token = `${randomToken(48)}`;
    this.tokens.set(token, now + this.tokenTtlMs);
    return token;
  }

  private requireKnownOpenid(openid: unknown): string {
    if (typeof openid !== 'string' || !OPENID.test(openid)) throw new WechatFakeError(40003);
    if (!this.users.has(openid) && !this.options.acceptAnyOpenid) throw new WechatFakeError(40003);
    return openid;
  }

  private requireScene(scene: unknown): number {
    if (scene !== 1 && scene !== 2 && scene !== 3 && scene !== 4) throw new WechatFakeError(40129);
    return scene;
  }

  private pageExists(page: string): boolean {
    return this.options.pages ? this.options.pages.includes(page) : PAGE_PATH.test(page);
  }

  private traceId(): string {
    return `${randomBytes(8).toString('hex')}-${randomInt(1e8, 1e9)}`;
  }

  /** The push URL with WeChat's signature/timestamp/nonce query (when a push token is configured). */
  private signedPushUrl(url: string): URL {
    const target = new URL(url);
    const token = this.pushTarget.token;
    if (token === undefined) return target;
    const timestamp = String(Math.floor(this.now() / 1000));
    const nonce = String(randomInt(1e9, 2 ** 31 - 1));
    const signature = createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
    target.searchParams.set('signature', signature);
    target.searchParams.set('timestamp', timestamp);
    target.searchParams.set('nonce', nonce);
    return target;
  }

  private async deliver(record: MediaCheckRecord): Promise<void> {
    if (!this.pushTarget.url) {
      record.status = 'failed';
      record.pushError = 'no push URL configured';
      return;
    }
    const target = this.signedPushUrl(this.pushTarget.url);
    const timestamp = target.searchParams.get('timestamp') ?? String(Math.floor(this.now() / 1000));
    const label = record.labelAsString ? String(record.label) : record.label;
    const event = {
      ToUserName: `gh_${createHash('md5').update(this.options.appId).digest('hex').slice(0, 12)}`,
      FromUserName: 'oUMsU5BfZzJvQ0hEs1bfFPwZ0w0g',
      CreateTime: Number(timestamp),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: this.options.appId,
      trace_id: record.traceId,
      version: 2,
      detail: [{ strategy: 'content_model', errcode: 0, suggest: record.suggest, label, prob: 90 }],
      errcode: 0,
      errmsg: 'ok',
      result: { suggest: record.suggest, label },
    };
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      record.pushHttpStatus = res.status;
      record.status = res.ok ? 'delivered' : 'failed';
      delete record.pushError;
    } catch (err) {
      record.status = 'failed';
      record.pushError = err instanceof Error ? err.message : String(err);
    }
    this.options.log?.(`wechat-fake: pushed media check ${record.traceId} → ${record.status}`);
  }
}
