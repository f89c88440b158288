/** Public types of the WeChat fake: its start options and the control API tests and dev tools use. */

export type Suggest = 'pass' | 'review' | 'risky';

/** When a mediaCheckAsync result is pushed to our server. */
export type MediaPushMode = { mode: 'immediate' } | { mode: 'delayed'; delayMs: number } | { mode: 'manual' };

export interface WechatFakeOptions {
  /** 0 or omitted → a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  appId: string;
  appSecret: string;
  /** Our server's message-push URL (where wxa_media_check events go). Can be set later: control.setPushTarget. */
  pushUrl?: string;
  /** The push Token configured in the WeChat admin console; signs pushes (signature/timestamp/nonce query). */
  pushToken?: string;
  /** Subscribe-message templates the app owns. Omitted → any template id is accepted. */
  templateIds?: string[];
  /** Published pages (for page checks). Omitted → any well-formed page exists. */
  pages?: string[];
  /**
   * Accept well-formed openids the fake never issued (dev: the database outlives a fake restart).
   * Default false: only openids the fake issued login codes for are known users.
   */
  acceptAnyOpenid?: boolean;
  /** access_token lifetime, default 7200 s. */
  tokenTtlSeconds?: number;
  /** Default immediate. */
  mediaPush?: MediaPushMode;
  log?: (msg: string) => void;
}

export interface MediaOutcomeRule {
  /** Substring of media_url this rule applies to (first matching rule wins). */
  match: string;
  suggest: Suggest;
  /** Default: 100 for pass, 20002 for risky, 21000 for review. */
  label?: number;
  /** WeChat sometimes sends the label as a string; set to exercise that. */
  labelAsString?: boolean;
}

export interface MediaCheckRecord {
  traceId: string;
  mediaUrl: string;
  mediaType: 1 | 2;
  openid: string;
  scene: number;
  suggest: Suggest;
  label: number;
  labelAsString: boolean;
  createdAt: number;
  status: 'pending' | 'delivered' | 'failed';
  /** HTTP status our server answered the last push with. */
  pushHttpStatus?: number;
  pushError?: string;
}

export interface SentSubscribeMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogramState?: string;
  lang?: string;
  sentAt: number;
}

export interface SecWords {
  /** word → label (e.g. 20006 illegal). Content containing one is `risky`. */
  risky: Record<string, number>;
  /** word → label. Content containing one (and no risky word) is `review`. */
  review: Record<string, number>;
}

/** Controls shared by the in-process API and the /__fake HTTP endpoints. */
export interface WechatFakeControl {
  mintLoginCode(input?: { openid?: string; unionid?: string }): { code: string; openid: string; unionid?: string };
  mintPhoneCode(input: { phoneNumber: string; countryCode?: string }): { code: string };
  setSecWords(words: Partial<SecWords>): void;
  getSecWords(): SecWords;
  /** code2Session answers 40226 for these openids. */
  setRiskyUsers(openids: string[]): void;
  setMediaOutcomes(rules: MediaOutcomeRule[]): void;
  setMediaPushMode(mode: MediaPushMode): void;
  setPushTarget(target: { url: string; token?: string }): void;
  listMediaChecks(): MediaCheckRecord[];
  /**
   * Does what the WeChat console does when the push URL is saved: a signed GET with an echostr, which
   * our server must echo back. `ok` is true when it did.
   */
  verifyPushUrl(): Promise<{ ok: boolean; status?: number; body?: string; error?: string }>;
  /** Pushes pending (and previously failed) results now — all, or one trace id. */
  pushMediaResults(traceId?: string): Promise<MediaCheckRecord[]>;
  listSubscribeMessages(touser?: string): SentSubscribeMessage[];
  clearSubscribeMessages(): void;
  /**
   * Records what the user answered wx.requestSubscribeMessage: each `accept` allows one subscribe/send of that
   * template to them (without one, subscribe/send answers 43101, as WeChat does); `ban` clears what is left.
   */
  recordSubscriptions(openid: string, results: Record<string, 'accept' | 'reject' | 'ban' | 'filter'>): void;
  /** Unused acceptances per template id. */
  subscriptionsOf(openid: string): Record<string, number>;
  /** Makes the next `times` calls to a WeChat path answer `errcode` (e.g. -1, 45011, 40001). */
  failNext(input: { path: string; errcode: number; times?: number }): void;
  /**
   * Makes the next `times` subscribe sends to `openid` answer `errcode` (-1, 45009, 47003…): failNext for one
   * user, so suites running in parallel against the same fake never take each other's failures.
   */
  failSubscribeTo(input: { openid: string; errcode: number; times?: number }): void;
  /** Moves the fake's clock (code and token expiry) forward. */
  advanceClock(ms: number): void;
  /** Invalidates every access_token issued so far (next use → 40001). */
  revokeAccessTokens(): void;
  /** How many times each WeChat API path was called. */
  callCounts(): Record<string, number>;
  /** Back to the start state (options kept, push target kept). */
  reset(): void;
}
