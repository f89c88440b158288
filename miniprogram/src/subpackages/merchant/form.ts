import type { CouponKind, CreateBatchBody } from '@shared/schemas/coupons';
import { createBatchBodySchema } from '@shared/schemas/coupons';
import type { CreatePromotionBody } from '@shared/schemas/merchants';
import { createPromotionBodySchema } from '@shared/schemas/merchants';
import type { ZodError } from 'zod';
import { addDays, fromLocal, toLocal, type LocalDateTime } from '../../utils/local-time';

/**
 * The merchant forms' logic, kept out of the pages: what people type (yuan, 折, Beijing dates) becomes the
 * API's body, checked with the same zod schemas the server uses, and the first problem comes back as one
 * Chinese sentence.
 */

const CJK = /[\u4e00-\u9fff]/;

/**
 * A per-parse error map: the field's hint for issues the schema has no message of its own for (a schema's
 * own message still wins; zod's defaults — English, or whatever locale is configured — give way).
 */
export function hintsFor(hints: Readonly<Record<string, string>>) {
  return (issue: { path?: PropertyKey[] }): string | undefined => {
    const path = issue.path ?? [];
    return hints[path.map(String).join('.')] ?? hints[String(path[0] ?? '')];
  };
}

/** The first issue of a failed parse, when it reads as Chinese. */
export function firstIssue(error: ZodError): string {
  const message = error.issues[0]?.message ?? '';
  return CJK.test(message) ? message : '请检查填写的内容';
}

/** "12.5" 元 → 1250 分; null when it is not an amount with at most two decimals. Exact: no floating point. */
export function yuanToFen(text: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** "8.8" 折 → 88 (the percentage paid); null unless between 0.1 and 9.9 折 with one decimal. */
export function zheToPercent(text: string): number | null {
  const m = /^(\d)(?:\.(\d))?$/.exec(text.trim());
  if (!m) return null;
  const percent = Number(m[1]) * 10 + Number(m[2] ?? '0');
  return percent >= 1 && percent <= 99 ? percent : null;
}

/** A whole number typed in a field, or null. */
export function wholeNumber(text: string): number | null {
  return /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : null;
}

export { addDays, fromLocal, toLocal, type LocalDateTime } from '../../utils/local-time';

// ── coupon batch ──

export interface BatchForm {
  title: string;
  description: string;
  kind: CouponKind;
  /** 元 off (amount_off, spend_x_save_y) or 折 (discount). */
  value: string;
  /** 元; empty = no threshold. */
  threshold: string;
  totalStock: string;
  perUserLimit: string;
  claimStarts: LocalDateTime;
  claimEnds: LocalDateTime;
  validity: 'relative' | 'fixed';
  validDays: string;
  validFrom: LocalDateTime;
  validUntil: LocalDateTime;
}

/** A fresh form: claimable from now for a week, valid 30 days after claiming. */
export function emptyBatchForm(now: Date): BatchForm {
  const start = toLocal(now);
  return {
    title: '',
    description: '',
    kind: 'amount_off',
    value: '',
    threshold: '',
    totalStock: '100',
    perUserLimit: '1',
    claimStarts: start,
    claimEnds: addDays(start, 7),
    validity: 'relative',
    validDays: '30',
    validFrom: start,
    validUntil: addDays(start, 30),
  };
}

const BATCH_HINTS: Readonly<Record<string, string>> = {
  value: '请填写正确的面额或折扣',
  threshold: '请填写正确的使用门槛（元）',
  totalStock: '发放总量应为 1–1000000 张',
  perUserLimit: '每人限领 1–10 张',
  claimStartsAt: '请选择领券开始时间',
  claimEndsAt: '请选择领券结束时间',
  'validity.days': '领取后有效天数应为 1–365 天',
  'validity.from': '请选择有效期开始时间',
  'validity.until': '请选择有效期结束时间',
  description: '说明最多 500 个字',
  issuer: '请选择参与商户',
};

/** Who issues a batch: a shop (its id) or the government with its participating shops. */
export type BatchIssuer = string | { type: 'government'; merchantIds: string[] };

/**
 * The API body for POST /api/v1/coupon-batches — a shop's own batch (`issuer` = its id), or a government
 * batch with its participating shops, grabbed first come first served or, `mode: 'lottery'`, signed up for
 * during the claim window and drawn after it — or the first problem in Chinese.
 * The cross-field rules the server adds (window order, threshold above the value…) are checked here too, in
 * the same words, so the owner hears about them before sending.
 */
export function buildBatchBody(
  form: BatchForm,
  issuer: BatchIssuer,
  mode: CreateBatchBody['mode'] = 'grab',
): { ok: true; body: CreateBatchBody } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message });
  if (typeof issuer !== 'string' && issuer.merchantIds.length === 0) return fail('请选择至少一家参与商户');
  const value = form.kind === 'discount' ? zheToPercent(form.value) : yuanToFen(form.value);
  if (value === null || value < 1)
    return fail(form.kind === 'discount' ? '折扣请填 0.1–9.9 之间的数，如 8.8' : '请填写减免金额（元），如 5 或 5.5');
  const threshold = form.threshold.trim() === '' ? 0 : yuanToFen(form.threshold);
  if (threshold === null) return fail('使用门槛请填金额（元），不设门槛留空');
  const totalStock = wholeNumber(form.totalStock);
  // A lottery gives each winner one coupon (the server stores 1 whatever is sent).
  const perUserLimit = mode === 'lottery' ? 1 : wholeNumber(form.perUserLimit);
  if (totalStock === null) return fail('请填写发放总量（张）');
  if (perUserLimit === null) return fail('请填写每人限领张数');
  const claimStartsAt = fromLocal(form.claimStarts);
  const claimEndsAt = fromLocal(form.claimEnds);
  if (!claimStartsAt || !claimEndsAt) return fail(mode === 'lottery' ? '请选择报名时间' : '请选择领券时间');
  let validity: CreateBatchBody['validity'];
  if (form.validity === 'relative') {
    const days = wholeNumber(form.validDays);
    if (days === null) return fail('请填写领取后有效天数');
    validity = { type: 'relative', days };
  } else {
    const from = fromLocal(form.validFrom);
    const until = fromLocal(form.validUntil);
    if (!from || !until) return fail('请选择有效期');
    validity = { type: 'fixed', from, until };
  }
  const parsed = createBatchBodySchema.safeParse(
    {
      title: form.title,
      ...(form.description.trim() ? { description: form.description } : {}),
      kind: form.kind,
      value,
      threshold,
      totalStock,
      perUserLimit,
      claimStartsAt,
      claimEndsAt,
      validity,
      issuer: typeof issuer === 'string' ? { type: 'merchant', merchantId: issuer } : issuer,
      mode,
    },
    { error: hintsFor(BATCH_HINTS) },
  );
  if (!parsed.success) return fail(firstIssue(parsed.error));
  const b = parsed.data;
  // The server's rules (coupons/coupon-rules.ts checkBatchRules), in its words.
  if (Date.parse(b.claimEndsAt) <= Date.parse(b.claimStartsAt))
    return fail(mode === 'lottery' ? '报名截止时间应晚于开始时间' : '领券结束时间应晚于开始时间');
  if (b.validity.type === 'fixed') {
    if (Date.parse(b.validity.until) <= Date.parse(b.validity.from)) return fail('有效期结束时间应晚于开始时间');
    if (Date.parse(b.validity.until) <= Date.parse(b.claimStartsAt)) return fail('有效期不能早于领券开始时间');
  }
  if (b.kind === 'spend_x_save_y' && b.threshold <= b.value) return fail('满减券的门槛应大于减免金额');
  if (b.kind === 'amount_off' && b.threshold > 0 && b.threshold <= b.value) return fail('门槛应大于立减金额');
  return { ok: true, body: b };
}

// ── promotion ──

export interface PromotionForm {
  kind: CreatePromotionBody['kind'];
  title: string;
  body: string;
  /** URLs of the photos that went up (the shared photo picker), at most 9. */
  photos: string[];
  /** Optional dates of the event itself. */
  withDates: boolean;
  starts: LocalDateTime;
  ends: LocalDateTime;
}

export function emptyPromotionForm(now: Date): PromotionForm {
  const start = toLocal(now);
  return { kind: '促销', title: '', body: '', photos: [], withDates: false, starts: start, ends: addDays(start, 7) };
}

export function buildPromotionBody(form: PromotionForm): { ok: true; body: CreatePromotionBody } | { ok: false; message: string } {
  const startsAt = form.withDates ? fromLocal(form.starts) : null;
  const endsAt = form.withDates ? fromLocal(form.ends) : null;
  if (form.withDates && (!startsAt || !endsAt)) return { ok: false, message: '请选择活动时间' };
  const parsed = createPromotionBodySchema.safeParse(
    {
      kind: form.kind,
      title: form.title,
      body: form.body,
      photos: form.photos,
      ...(startsAt ? { startsAt } : {}),
      ...(endsAt ? { endsAt } : {}),
    },
    { error: hintsFor({ kind: '请选择活动类型', photos: '最多 9 张图片' }) },
  );
  if (!parsed.success) return { ok: false, message: firstIssue(parsed.error) };
  if (parsed.data.startsAt && parsed.data.endsAt && Date.parse(parsed.data.endsAt) <= Date.parse(parsed.data.startsAt))
    return { ok: false, message: '结束时间应晚于开始时间' };
  return { ok: true, body: parsed.data };
}
