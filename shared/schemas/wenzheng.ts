import { z } from 'zod';
import { calendarDaySchema, yearMonthSchema } from './dates';
import { text } from './text';
import { DEPARTMENT_CODE } from '../roles';
import { objectIdSchema } from './users';

/**
 * 问政: citizens ask, editors triage and route, departments answer on a working-day clock, and the
 * boards rank departments in public. Shared by the API and the mini-program.
 */

// ── enums ───────────────────────────────────────────────────────────────────────

export const WENZHENG_CATEGORIES = ['交通', '城建', '环保', '教育', '医疗', '社保', '市场监管', '其他'] as const;
export type WenzhengCategory = (typeof WENZHENG_CATEGORIES)[number];
export const wenzhengCategorySchema = z.enum(WENZHENG_CATEGORIES);

/** Where a case came in: the mini-program, or a channel staff type in (资阳's six channels merged into one queue). */
export const CASE_SOURCES = ['miniprogram', 'hotline', 'mailbox', 'leader_mailbox', 'tipoff', 'fans_group', '12345', 'other'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
export const CASE_SOURCE_LABELS: Readonly<Record<CaseSource, string>> = {
  miniprogram: '网络问政',
  hotline: '新闻热线',
  mailbox: '来信',
  leader_mailbox: '书记县长信箱',
  tipoff: '网友爆料',
  fans_group: '粉丝交流群',
  '12345': '12345 热线',
  other: '其他渠道',
};

/** Decides the answer deadline (乐清: consultations 2, complaints 5, complex cases 15 working days). */
export const CASE_TYPES = ['consultation', 'complaint', 'complex'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_TYPE_LABELS: Readonly<Record<CaseType, string>> = { consultation: '咨询', complaint: '投诉', complex: '复杂' };

/** 广昌's routing by difficulty: straight to a department, through the grid's 三长, or a report to the propaganda department. */
export const ROUTING_TIERS = ['direct', 'grid', 'propaganda'] as const;
export type RoutingTier = (typeof ROUTING_TIERS)[number];

export const CASE_STATES = [
  'pending', // posted, waiting for an editor
  'reported', // internal report: the propaganda department assigns departments
  'assigned', // with a department, waiting to be accepted
  'handover', // the department said "not ours": the editor confirms the hand-over
  'accepted', // the department is working on it
  'answered', // the department answered; the citizen may rate it
  'closed', // rated
  'rejected', // refused at triage, with a reason the citizen sees
  'merged', // a duplicate of another case
] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const caseStateSchema = z.enum(CASE_STATES);
export const CASE_STATE_LABELS: Readonly<Record<CaseState, string>> = {
  pending: '待审核',
  reported: '已上报宣传部',
  assigned: '待受理',
  handover: '待确认转办',
  accepted: '办理中',
  answered: '已答复',
  closed: '已办结',
  rejected: '未予受理',
  merged: '已合并',
};

export const CASE_EVENT_TYPES = [
  'posted',
  'intake',
  'rejected',
  'merged',
  'merged_in',
  'forwarded',
  'reported',
  'assigned',
  'accepted',
  'answered',
  'extension_requested',
  'extension_decided',
  'declined',
  'handover_confirmed',
  'handover_refused',
  'rated',
  'reopened',
  'visibility',
  'reminded',
  'overdue',
  'escalated',
  'co_accepted',
  'co_answered',
  'co_declined',
  'co_handover_confirmed',
  'co_handover_refused',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];
export const CASE_EVENT_LABELS: Readonly<Record<CaseEventType, string>> = {
  posted: '网友提交',
  intake: '工作人员录入',
  rejected: '未予受理',
  merged: '合并为重复问题',
  merged_in: '合并了重复问题',
  forwarded: '转交办理',
  reported: '上报宣传部',
  assigned: '交办部门',
  accepted: '部门受理',
  answered: '部门答复',
  extension_requested: '申请延期',
  extension_decided: '延期审核',
  declined: '部门申请转办',
  handover_confirmed: '确认转办',
  handover_refused: '不同意转办',
  rated: '网友评价',
  reopened: '网友申请重办',
  visibility: '公开设置',
  reminded: '到期提醒',
  overdue: '已超期',
  escalated: '超期督办',
  co_accepted: '协办部门受理',
  co_answered: '协办部门答复',
  co_declined: '协办部门申请转办',
  co_handover_confirmed: '确认协办转办',
  co_handover_refused: '不同意协办转办',
};

/**
 * A co-department's (协办) own part of a case: it accepts, answers its part, or says "not ours" naming
 * who should take it (the editor confirms). The lead department's answer is the case's answer.
 */
export const CO_PART_STATES = ['assigned', 'accepted', 'answered', 'handover'] as const;
export type CoPartState = (typeof CO_PART_STATES)[number];

// ── pieces ──────────────────────────────────────────────────────────────────────

export const placeSchema = z
  .object({
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    address: text(100, '地址'),
  })
  .strict();
export type Place = z.infer<typeof placeSchema>;

/** A department's stable code (also the id of department_staff scopes): lower-case letters, digits, dashes. */
export const departmentCodeSchema = z.string().regex(DEPARTMENT_CODE, '部门编码只能是小写字母、数字和短横线');
const gridIdSchema = z.string().trim().min(1).max(64);

// ── requests ────────────────────────────────────────────────────────────────────

const caseFields = {
  category: wenzhengCategorySchema,
  title: text(40, '标题'),
  text: text(2000, '内容'),
  imageIds: z.array(objectIdSchema).max(9, '最多 9 张图片').default([]),
  place: placeSchema.nullable().default(null),
  /** Private: only the poster, editors and the handling department ever see it. */
  visibility: z.enum(['public', 'private']).default('public'),
  /** Shown to the public as 匿名网友; staff always see who asked. */
  anonymous: z.boolean().default(false),
};

/** POST /api/v1/wenzheng/cases — a citizen asks. */
export const postCaseBodySchema = z.object(caseFields).strict();
export type PostCaseBody = z.infer<typeof postCaseBodySchema>;

/** POST /api/v1/wenzheng/intake — staff enter a case that came in through another channel. */
export const intakeCaseBodySchema = z
  .object({
    ...caseFields,
    source: z.enum(CASE_SOURCES).exclude(['miniprogram']),
    /** The channel's own reference (a 12345 ticket number…). */
    sourceRef: text(64, '来源编号').optional(),
    contactName: text(20, '联系人').optional(),
    contactPhone: z
      .string()
      .regex(/^[0-9+\- ]{5,20}$/, '联系电话无效')
      .optional(),
  })
  .strict();
export type IntakeCaseBody = z.infer<typeof intakeCaseBodySchema>;

export const reasonBodySchema = z.object({ reason: text(500, '理由') }).strict();
export const mergeBodySchema = z.object({ targetId: objectIdSchema, note: text(200, '说明').optional() }).strict();

/** POST /cases/:id/forward — the editor's routing decision. */
export const forwardBodySchema = z
  .object({
    tier: z.enum(ROUTING_TIERS),
    type: z.enum(CASE_TYPES),
    /** Omitted → the category's default department. Not used for an internal report (the propaganda department picks). */
    department: departmentCodeSchema.optional(),
    /**
     * Co-departments (each gets a part). For an internal report only a suggestion to the propaganda
     * department (staff-only `suggestedCoDepartments`): they join the case when it is assigned.
     */
    coDepartments: z.array(departmentCodeSchema).max(5).default([]),
    /** Required for the grid tier: whose 三长 coordinate. */
    gridId: gridIdSchema.optional(),
    /** Show it on the public board (only when the citizen allowed it). */
    publish: z.boolean(),
    note: text(200, '说明').optional(),
  })
  .strict();
export type ForwardBody = z.infer<typeof forwardBodySchema>;

/** POST /cases/:id/assign — the propaganda department assigns a reported case and copies leaders. */
export const assignBodySchema = z
  .object({
    department: departmentCodeSchema,
    /** Omitted → the editor's suggested co-departments; `[]` → none. */
    coDepartments: z.array(departmentCodeSchema).max(5).optional(),
    type: z.enum(CASE_TYPES).optional(),
    /** Users holding the county_leader role (县领导): they see the case read-only and get a message. */
    copyLeaders: z.array(objectIdSchema).max(10).default([]),
    note: text(200, '说明').optional(),
  })
  .strict();
export type AssignBody = z.infer<typeof assignBodySchema>;

export const answerBodySchema = z.object({ text: text(2000, '答复') }).strict();
export const extensionBodySchema = z.object({ days: z.number().int().min(1).max(30), reason: text(200, '理由') }).strict();
export const decideBodySchema = z.object({ approve: z.boolean(), note: text(200, '说明').optional() }).strict();
export const declineBodySchema = z.object({ suggestedDepartment: departmentCodeSchema, reason: text(200, '理由') }).strict();
export const handoverBodySchema = z
  .object({
    confirm: z.boolean(),
    /** Overrides the suggested department when confirming. */
    department: departmentCodeSchema.optional(),
    note: text(200, '说明').optional(),
  })
  .strict();
export const rateBodySchema = z.object({ satisfied: z.boolean(), comment: text(200, '评价').optional() }).strict();
export const visibilityBodySchema = z.object({ publish: z.boolean() }).strict();

export const caseListQuerySchema = z
  .object({
    category: wenzhengCategorySchema.optional(),
    state: caseStateSchema.optional(),
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();
export type CaseListQuery = z.infer<typeof caseListQuerySchema>;

export const staffQueueQuerySchema = caseListQuerySchema
  .extend({
    department: departmentCodeSchema.optional(),
    overdue: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();
export type StaffQueueQuery = z.infer<typeof staffQueueQuerySchema>;

export const caseIdParamsSchema = z.object({ id: objectIdSchema }).strict();
/** A co-department's part of a case: /cases/:id/parts/:code/… */
export const casePartParamsSchema = z.object({ id: objectIdSchema, code: departmentCodeSchema }).strict();

// ── admin: departments, deadlines, holidays ─────────────────────────────────────

export const departmentBodySchema = z
  .object({
    name: text(30, '部门名称'),
    /** Users who receive escalations of this department's overdue cases (its head, 分管领导). */
    headUserIds: z.array(objectIdSchema).max(10).default([]),
    /** The propaganda department: receives internal reports and escalations. */
    propaganda: z.boolean().default(false),
  })
  .strict();
export type DepartmentBody = z.infer<typeof departmentBodySchema>;
export const departmentParamsSchema = z.object({ code: departmentCodeSchema }).strict();

export const departmentViewSchema = z
  .object({ code: z.string(), name: z.string(), propaganda: z.boolean(), headUserIds: z.array(z.string()).optional() })
  .strict();
export type DepartmentView = z.infer<typeof departmentViewSchema>;
export const departmentListResponseSchema = z.object({ departments: z.array(departmentViewSchema) }).strict();
export const departmentResponseSchema = z.object({ department: departmentViewSchema }).strict();

export const deadlinesSchema = z
  .object({
    accept: z.number().int().min(1).max(30),
    consultation: z.number().int().min(1).max(60),
    complaint: z.number().int().min(1).max(60),
    complex: z.number().int().min(1).max(90),
  })
  .strict();
export type Deadlines = z.infer<typeof deadlinesSchema>;

export const settingsSchema = z
  .object({
    /** Working days. */
    deadlines: deadlinesSchema,
    /** Remind the department this many hours before a deadline. */
    remindBeforeHours: z.number().int().min(1).max(240),
    /** How far apart two cases may be and still be merged as duplicates. */
    nearbyMeters: z.number().int().min(10).max(50_000),
    /** Category → the department a forward goes to unless the editor picks another. */
    categoryDepartments: z.partialRecord(wenzhengCategorySchema, departmentCodeSchema),
  })
  .strict();
export type WenzhengSettings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial().strict();
export const settingsResponseSchema = z.object({ settings: settingsSchema }).strict();

/** A real month and day of this century: "2026-13" or "0818-12" reached the database as an Invalid Date (500). */
const yearMonth = yearMonthSchema;
const isoDate = calendarDaySchema;
export const holidayParamsSchema = z.object({ date: isoDate }).strict();
export const holidayBodySchema = z
  .object({
    /** holiday: a weekday off; workday: a weekend day worked (调休上班). */
    kind: z.enum(['holiday', 'workday']),
    name: text(20, '名称'),
  })
  .strict();
export const holidayViewSchema = z.object({ date: z.string(), kind: z.enum(['holiday', 'workday']), name: z.string() }).strict();
export type HolidayView = z.infer<typeof holidayViewSchema>;
export const holidayListQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }).strict();
export const holidayListResponseSchema = z.object({ holidays: z.array(holidayViewSchema) }).strict();

// ── responses ───────────────────────────────────────────────────────────────────

export const caseEventViewSchema = z
  .object({
    type: z.enum(CASE_EVENT_TYPES),
    label: z.string(),
    at: z.string(),
    /** Public: a department or 融媒体中心, never a person; staff see the person too. */
    by: z.string(),
    from: caseStateSchema.nullable(),
    to: caseStateSchema.nullable(),
    note: z.string().nullable(),
  })
  .strict();
export type CaseEventView = z.infer<typeof caseEventViewSchema>;

const deptRef = z.object({ code: z.string(), name: z.string() }).strict();

export const coPartViewSchema = z
  .object({
    department: deptRef,
    state: z.enum(CO_PART_STATES),
    acceptDueAt: z.string().nullable(),
    answerDueAt: z.string().nullable(),
    overdue: z.boolean(),
    answer: z.object({ text: z.string(), at: z.string() }).strict().nullable(),
    /** Staff only: the "not ours" waiting for the editor. */
    handover: z.object({ suggestedDepartment: deptRef, reason: z.string() }).strict().nullable(),
  })
  .strict();
export type CoPartView = z.infer<typeof coPartViewSchema>;

/** GET /api/v1/wenzheng/leaders — county leaders a case may be copied to. */
export const leaderListResponseSchema = z
  .object({ leaders: z.array(z.object({ id: objectIdSchema, name: z.string() }).strict()) })
  .strict();

export const caseViewSchema = z
  .object({
    id: objectIdSchema,
    state: caseStateSchema,
    stateLabel: z.string(),
    category: wenzhengCategorySchema,
    title: z.string(),
    text: z.string(),
    images: z.array(z.object({ id: objectIdSchema, url: z.string() }).strict()),
    place: placeSchema.nullable(),
    visibility: z.enum(['public', 'private']),
    published: z.boolean(),
    anonymous: z.boolean(),
    /** `id` is null in public views; `name` is 匿名网友 there when the poster chose anonymity. */
    poster: z.object({ id: objectIdSchema.nullable(), name: z.string() }).strict(),
    /** Whether the viewer is the poster. */
    mine: z.boolean(),
    source: z.enum(CASE_SOURCES),
    /** Staff only. */
    contact: z.object({ name: z.string().nullable(), phone: z.string().nullable(), sourceRef: z.string().nullable() }).strict().nullable(),
    flagged: z.boolean().nullable(),
    type: z.enum(CASE_TYPES).nullable(),
    tier: z.enum(ROUTING_TIERS).nullable(),
    gridId: z.string().nullable(),
    department: deptRef.nullable(),
    coDepartments: z.array(deptRef),
    /**
     * An internal report not yet assigned: the co-departments the editor suggested. Only the editor and the
     * propaganda department see them (empty for everyone else, and once assigned).
     */
    suggestedCoDepartments: z.array(deptRef),
    /** Each co-department's part (its own clock and answer). */
    coParts: z.array(coPartViewSchema),
    /** Staff only: the names of the county leaders copied. */
    copiedLeaders: z.array(z.string()),
    acceptDueAt: z.string().nullable(),
    answerDueAt: z.string().nullable(),
    overdue: z.boolean(),
    escalated: z.boolean(),
    extension: z
      .object({ days: z.number().int(), reason: z.string().nullable(), status: z.enum(['pending', 'approved', 'denied']) })
      .strict()
      .nullable(),
    handover: z.object({ suggestedDepartment: deptRef, reason: z.string().nullable() }).strict().nullable(),
    answer: z.object({ text: z.string(), at: z.string(), department: deptRef }).strict().nullable(),
    rating: z.object({ satisfied: z.boolean(), comment: z.string().nullable(), at: z.string() }).strict().nullable(),
    reopenCount: z.number().int(),
    canReopen: z.boolean(),
    mergedInto: objectIdSchema.nullable(),
    rejectReason: z.string().nullable(),
    followers: z.number().int(),
    timeline: z.array(caseEventViewSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type CaseView = z.infer<typeof caseViewSchema>;
export const caseResponseSchema = z.object({ case: caseViewSchema }).strict();
export const caseListResponseSchema = z.object({ items: z.array(caseViewSchema), nextCursor: z.string().nullable() }).strict();

/** Raw events, for audits and for recomputing every board figure. Staff only. */
export const rawEventSchema = z
  .object({
    caseId: objectIdSchema,
    seq: z.number().int(),
    type: z.enum(CASE_EVENT_TYPES),
    at: z.string(),
    by: objectIdSchema.nullable(),
    from: caseStateSchema.nullable(),
    to: caseStateSchema.nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .strict();
export type RawEvent = z.infer<typeof rawEventSchema>;
export const rawEventsQuerySchema = z
  .object({
    month: yearMonth.optional(),
    caseId: objectIdSchema.optional(),
  })
  .strict();
export const rawEventsResponseSchema = z.object({ events: z.array(rawEventSchema) }).strict();

export const monthQuerySchema = z.object({ month: yearMonth }).strict();
export const boardRowSchema = z
  .object({
    department: deptRef,
    /** Cases (lead or co-department part) given to the department in the month (hand-overs away excluded). */
    cases: z.number().int(),
    answered: z.number().int(),
    answeredOnTime: z.number().int(),
    rated: z.number().int(),
    satisfied: z.number().int(),
    /** answered / cases, 0..1 rounded to 4 places; null without cases. */
    replyRate: z.number().nullable(),
    onTimeRate: z.number().nullable(),
    satisfaction: z.number().nullable(),
    /** Median wall-clock hours from assignment to first answer, 1 decimal; null without answers. */
    medianHoursToAnswer: z.number().nullable(),
    rank: z.number().int(),
  })
  .strict();
export type BoardRow = z.infer<typeof boardRowSchema>;
export const boardResponseSchema = z.object({ month: z.string(), rows: z.array(boardRowSchema) }).strict();
export type BoardResponse = z.infer<typeof boardResponseSchema>;

/** GET /api/v1/wenzheng/boards/:code?months=6 — one department's figures month by month, newest first. */
export const departmentHistoryQuerySchema = z.object({ months: z.coerce.number().int().min(1).max(24).default(6) }).strict();
export const departmentHistoryResponseSchema = z
  .object({ department: deptRef, months: z.array(z.object({ month: z.string(), row: boardRowSchema }).strict()) })
  .strict();
export type DepartmentHistoryResponse = z.infer<typeof departmentHistoryResponseSchema>;
