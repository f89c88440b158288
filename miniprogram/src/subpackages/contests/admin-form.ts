import { createCampaignBodySchema, type CreateCampaignBody } from '@shared/schemas/campaigns';
import {
  ROUND_KINDS,
  ROUND_LABELS,
  createContestBodySchema,
  type ContestView,
  type CreateContestBody,
  type RoundKind,
  type TieBreak,
} from '@shared/schemas/contests';
import type { z } from 'zod';
import { zhCN } from 'zod/v4/locales';
import { isApiError } from '../../services/core/api-error';

/**
 * The logic behind the admin forms (发起专题, 配置比赛), free of Taro so plain unit tests reach it: times typed
 * in Shanghai time, the rounds editor, and validation with the same zod schemas the server uses, turned into
 * one Chinese message naming the field.
 */

// ── time: people type Asia/Shanghai wall time, the API takes ISO with an offset ───────────────────────────

const SHANGHAI_MS = 8 * 3600_000;
const TIME_TEXT = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$/;

/** "2026-12-03 18:00" (Shanghai) → "2026-12-03T18:00:00+08:00"; anything else is returned as typed (zod refuses it). */
export function shanghaiToIso(typed: string): string {
  const m = TIME_TEXT.exec(typed.trim());
  if (!m) return typed.trim();
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23) return typed.trim();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${y}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:00+08:00`;
}

/** A moment as typed in the forms: "YYYY-MM-DD HH:mm" in Shanghai time. */
export function toShanghaiText(ms: number): string {
  const d = new Date(ms + SHANGHAI_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The next whole hour after `now`, plus `days`. */
function suggested(now: number, days: number): string {
  return toShanghaiText(Math.ceil(now / HOUR) * HOUR + days * DAY);
}

// ── rounds editor ──────────────────────────────────────────────────────────────────────────────────

export interface RoundRow {
  /** Stable React key (kinds move around). */
  key: string;
  kind: RoundKind;
  /** As typed: "YYYY-MM-DD HH:mm" Shanghai time. */
  startsAt: string;
}

let nextKey = 0;
const newKey = () => `r${(nextKey += 1)}`;

/** open call → jury shortlist → public vote → results, a week or so apart, starting at the next hour. */
export function defaultRounds(now: number): RoundRow[] {
  const plan: Array<[RoundKind, number]> = [
    ['submission', 0],
    ['shortlist', 7],
    ['voting', 10],
    ['results', 17],
  ];
  return plan.map(([kind, days]) => ({ key: newKey(), kind, startsAt: suggested(now, days) }));
}

/** Round kinds not in the list yet (each kind appears at most once). */
export function addableKinds(rounds: readonly RoundRow[]): RoundKind[] {
  return ROUND_KINDS.filter((k) => !rounds.some((r) => r.kind === k));
}

/** Adds a round where its kind belongs in the fixed order, dated three days after the round before it. */
export function addRound(rounds: readonly RoundRow[], kind: RoundKind, now: number): RoundRow[] {
  const rank = ROUND_KINDS.indexOf(kind);
  let at = rounds.findIndex((r) => ROUND_KINDS.indexOf(r.kind) > rank);
  if (at < 0) at = rounds.length;
  const before = rounds[at - 1];
  const beforeMs = before ? Date.parse(shanghaiToIso(before.startsAt)) : NaN;
  const startsAt = Number.isNaN(beforeMs) ? suggested(now, 0) : toShanghaiText(beforeMs + 3 * DAY);
  return [...rounds.slice(0, at), { key: newKey(), kind, startsAt }, ...rounds.slice(at)];
}

/** Moves round `i` one place up (-1) or down (+1); its date goes with it (validation says when the order is wrong). */
export function moveRound(rounds: readonly RoundRow[], i: number, dir: -1 | 1): RoundRow[] {
  const j = i + dir;
  if (j < 0 || j >= rounds.length || i < 0 || i >= rounds.length) return [...rounds];
  const out = [...rounds];
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}

export function removeRound(rounds: readonly RoundRow[], i: number): RoundRow[] {
  return rounds.filter((_, k) => k !== i);
}

export function setRoundStart(rounds: readonly RoundRow[], i: number, startsAt: string): RoundRow[] {
  return rounds.map((r, k) => (k === i ? { ...r, startsAt } : r));
}

export const roundLabel = (kind: RoundKind) => ROUND_LABELS[kind];

// ── validation with the server's schemas ───────────────────────────────────────────────────────────────

const FIELD_LABELS: Record<string, string> = {
  title: '标题',
  cover: '封面',
  tag: '话题标签',
  startsAt: '开始时间',
  endsAt: '结束时间',
  targetCircleIds: '目标圈子',
  bonusPoints: '奖励积分',
  campaign: '专题标签',
  rounds: '轮次',
  entryKinds: '参赛方式',
  maxEntriesPerPerson: '每人可报作品数',
  'voting.perUserPerDay': '每人每天票数',
  'voting.perEntryPerDay': '每人每天给同一作品的票数',
  'voting.newAccountHours': '新账号标记时长（小时）',
  'voting.maxUsersPerDevice': '同一设备每天投票账号数',
  juryWeight: '评委权重',
  publicWeight: '公众权重',
  awards: '奖项',
  tieBreak: '并列规则',
};
const AWARD_FIELDS: Record<string, string> = { label: '名称', count: '名额', points: '积分' };

/** The Chinese name of the field an issue (or a server VALIDATION_FAILED detail) points at. */
export function fieldLabel(path: ReadonlyArray<PropertyKey>, overrides: Readonly<Record<string, string>> = {}): string {
  const parts = path.map(String);
  if (parts[0] === 'rounds' && parts.length >= 2) {
    const n = Number(parts[1]) + 1;
    return parts[2] === 'startsAt' ? `第 ${n} 轮开始时间` : `第 ${n} 轮`;
  }
  if (parts[0] === 'awards' && parts.length >= 2) return `第 ${Number(parts[1]) + 1} 个奖项${AWARD_FIELDS[parts[2] ?? ''] ?? ''}`;
  const key = parts.join('.');
  return overrides[key] ?? FIELD_LABELS[key] ?? overrides[parts[0] ?? ''] ?? FIELD_LABELS[parts[0] ?? ''] ?? '';
}

type Issue = z.core.$ZodIssue;
const localeError = zhCN().localeError;

/** Whether zod's locale wrote this message (the schema set none of its own). */
function isLocaleMessage(issue: Issue): boolean {
  const m = localeError(issue as never);
  return (typeof m === 'string' ? m : m?.message) === issue.message;
}

/**
 * One readable sentence for an issue, naming the field: the schema's own Chinese message (text() fields
 * already name themselves), or a plainer one than zod's locale for numbers, lists and empty text.
 */
export function issueText(issue: Issue, overrides: Readonly<Record<string, string>> = {}): string {
  const label = fieldLabel(issue.path, overrides);
  let message = issue.message;
  if (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int')) message = '请填写整数';
  else if (isLocaleMessage(issue)) {
    if (issue.code === 'too_small' && issue.origin === 'number') message = `不能小于 ${String(issue.minimum)}`;
    else if (issue.code === 'too_big' && issue.origin === 'number') message = `不能大于 ${String(issue.maximum)}`;
    else if (issue.code === 'too_small' && issue.origin === 'array') message = `至少 ${String(issue.minimum)} 项`;
    else if (issue.code === 'too_big' && issue.origin === 'array') message = `最多 ${String(issue.maximum)} 项`;
    else if (issue.code === 'too_small' && issue.origin === 'string') message = '不能为空';
    else if (issue.code === 'too_big' && issue.origin === 'string') message = `最多 ${String(issue.maximum)} 个字`;
  }
  if (!label || message.includes(label)) return message;
  // text() messages name their own field ("简介不能为空"); only a position (第 2 轮) is worth adding to them.
  const named = !isLocaleMessage(issue) && (issue.code === 'too_small' || issue.code === 'too_big') && issue.origin === 'string';
  if (named && !/^第 \d+ /.test(label)) return message;
  return `${label}：${message}`;
}

export type Checked<T> = { ok: true; body: T } | { ok: false; message: string; path: string };

function check<S extends z.ZodType>(schema: S, raw: unknown, overrides: Readonly<Record<string, string>>): Checked<z.output<S>> {
  // Per-parse Chinese locale: messages the schema doesn't set itself come out in Chinese, no global config.
  const parsed = schema.safeParse(raw, { error: localeError });
  if (parsed.success) return { ok: true, body: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, message: issueText(issue, overrides), path: issue.path.map(String).join('.') };
}

/** "" → undefined (the schema's default applies), else a number (NaN when not one: the schema says so). */
export function numberField(typed: string): number | undefined {
  const t = typed.trim();
  return t === '' ? undefined : Number(t);
}

export interface CampaignForm {
  title: string;
  description: string;
  cover: string | null;
  tag: string;
  startsAt: string;
  endsAt: string;
  targetCircleIds: string[];
  bonusPoints: string;
}

const CAMPAIGN_LABELS = { description: '活动说明' };
const CONTEST_LABELS = { description: '简介' };

export function emptyCampaignForm(now: number): CampaignForm {
  return {
    title: '',
    description: '',
    cover: null,
    tag: '',
    startsAt: suggested(now, 0),
    endsAt: suggested(now, 30),
    targetCircleIds: [],
    bonusPoints: '0',
  };
}

/** The POST /api/v1/campaigns body, checked with the server's schema. */
export function checkCampaign(form: CampaignForm): Checked<CreateCampaignBody> {
  return check(
    createCampaignBodySchema,
    {
      title: form.title,
      description: form.description,
      ...(form.cover ? { cover: form.cover } : {}),
      tag: form.tag,
      startsAt: shanghaiToIso(form.startsAt),
      endsAt: shanghaiToIso(form.endsAt),
      targetCircleIds: form.targetCircleIds,
      bonusPoints: numberField(form.bonusPoints),
    },
    CAMPAIGN_LABELS,
  );
}

export type EntryKind = 'submission' | 'photo' | 'video';
export const ENTRY_KIND_LABELS: Readonly<Record<EntryKind, string>> = {
  submission: '已通过审核的稿件',
  photo: '直接上传图片',
  video: '视频链接',
};

export interface AwardRow {
  key: string;
  label: string;
  count: string;
  points: string;
}

export function newAward(label = '', count = '1', points = '0'): AwardRow {
  return { key: newKey(), label, count, points };
}

export interface ContestForm {
  title: string;
  description: string;
  cover: string | null;
  /** A campaign tag, or '' for none. */
  campaign: string;
  entryKinds: EntryKind[];
  maxEntriesPerPerson: string;
  rounds: RoundRow[];
  perUserPerDay: string;
  perEntryPerDay: string;
  hideTotals: boolean;
  newAccountHours: string;
  maxUsersPerDevice: string;
  juryWeight: string;
  publicWeight: string;
  awards: AwardRow[];
  tieBreak: TieBreak;
}

export function emptyContestForm(now: number): ContestForm {
  return {
    title: '',
    description: '',
    cover: null,
    campaign: '',
    entryKinds: ['submission', 'photo', 'video'],
    maxEntriesPerPerson: '1',
    rounds: defaultRounds(now),
    perUserPerDay: '3',
    perEntryPerDay: '1',
    hideTotals: true,
    newAccountHours: '72',
    maxUsersPerDevice: '2',
    juryWeight: '70',
    publicWeight: '30',
    awards: [newAward('一等奖', '1', '500'), newAward('二等奖', '2', '300'), newAward('三等奖', '3', '100')],
    tieBreak: 'jury',
  };
}

/** The form for changing an existing (not yet started) contest: what it holds now. */
export function formFromContest(c: ContestView): ContestForm {
  return {
    title: c.title,
    description: c.description,
    cover: c.cover,
    campaign: c.campaign ?? '',
    entryKinds: [...c.entryKinds],
    maxEntriesPerPerson: String(c.maxEntriesPerPerson),
    rounds: c.rounds.map((r) => ({ key: newKey(), kind: r.kind, startsAt: toShanghaiText(Date.parse(r.startsAt)) })),
    perUserPerDay: String(c.voting.perUserPerDay),
    perEntryPerDay: String(c.voting.perEntryPerDay),
    hideTotals: c.voting.hideTotals,
    newAccountHours: String(c.voting.newAccountHours),
    maxUsersPerDevice: String(c.voting.maxUsersPerDevice),
    juryWeight: String(c.juryWeight),
    publicWeight: String(c.publicWeight),
    awards: c.awards.map((a) => newAward(a.label, String(a.count), String(a.points))),
    tieBreak: c.tieBreak,
  };
}

export function toggle<T>(list: readonly T[], item: T): T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

/** The POST /api/v1/contests body, checked with the server's schema. */
export function checkContest(form: ContestForm): Checked<CreateContestBody> {
  const voting = {
    perUserPerDay: numberField(form.perUserPerDay),
    perEntryPerDay: numberField(form.perEntryPerDay),
    hideTotals: form.hideTotals,
    newAccountHours: numberField(form.newAccountHours),
    maxUsersPerDevice: numberField(form.maxUsersPerDevice),
  };
  return check(
    createContestBodySchema,
    {
      title: form.title,
      description: form.description,
      ...(form.cover ? { cover: form.cover } : {}),
      ...(form.campaign ? { campaign: form.campaign } : {}),
      rounds: form.rounds.map((r) => ({ kind: r.kind, startsAt: shanghaiToIso(r.startsAt) })),
      entryKinds: ROUND_ENTRY_ORDER.filter((k) => form.entryKinds.includes(k)),
      maxEntriesPerPerson: numberField(form.maxEntriesPerPerson),
      voting: Object.fromEntries(Object.entries(voting).filter(([, v]) => v !== undefined)),
      juryWeight: numberField(form.juryWeight),
      publicWeight: numberField(form.publicWeight),
      awards: form.awards.map((a) => ({ label: a.label, count: numberField(a.count), points: numberField(a.points) })),
      tieBreak: form.tieBreak,
    },
    CONTEST_LABELS,
  );
}
const ROUND_ENTRY_ORDER: readonly EntryKind[] = ['submission', 'photo', 'video'];

/**
 * A server refusal as one sentence: the first field issue of VALIDATION_FAILED, else the error's own (Chinese)
 * message. Anything that is not an API error (a failed navigation's English errMsg, a bug) gets a Chinese
 * sentence instead of its own text.
 */
export function apiErrorText(err: unknown): string {
  if (!isApiError(err)) return '提交失败，请稍后再试';
  const e = err;
  const details = e.details as { issues?: unknown } | unknown[] | undefined;
  const list = Array.isArray(details)
    ? details
    : Array.isArray((details as { issues?: unknown })?.issues)
      ? (details as { issues: unknown[] }).issues
      : [];
  const first = list[0] as { path?: string; message?: string } | undefined;
  if (first?.message) {
    const label = typeof first.path === 'string' && first.path ? fieldLabel(first.path.split('.')) : '';
    return label && !first.message.includes(label) ? `${label}：${first.message}` : first.message;
  }
  return e.message || '提交失败，请稍后再试';
}
