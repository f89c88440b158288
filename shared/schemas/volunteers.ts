import { z } from 'zod';
import { idListPageQueryShape, listPageQueryShape, pageResponseSchema } from './paging';
import { noControlChars, text } from './text';
import { objectIdSchema } from './users';

/**
 * Volunteers: teams (join requests decided by leaders), activities with sign-up and waitlist, QR check-in
 * and check-out (rotating HMAC code or printed mini-program code + geofence), the leader's roster with
 * corrections and confirmation (points through the ledger), and the volunteer's service record.
 */

const optionalText = (max: number, label: string) =>
  z.string().trim().max(max, `${label}最多 ${max} 个字`).refine(noControlChars, `${label}含有不允许的字符`);
const isoDate = z.iso.datetime({ offset: true, message: '时间格式无效（ISO 8601）' });

export const volunteerIdParamsSchema = z.object({ id: objectIdSchema }).strict();
export const rosterParamsSchema = z.object({ id: objectIdSchema, userId: objectIdSchema }).strict();
/** DELETE /teams/:id/leaders/:userId */
export const teamLeaderParamsSchema = rosterParamsSchema;

// ── teams ───────────────────────────────────────────────────────────────────────

export const teamViewSchema = z
  .object({
    id: objectIdSchema,
    name: z.string(),
    area: z.string(),
    description: z.string(),
    leaderIds: z.array(objectIdSchema),
    memberCount: z.number().int(),
    createdAt: z.string(),
  })
  .strict();
export type TeamView = z.infer<typeof teamViewSchema>;

export const createTeamBodySchema = z
  .object({
    name: text(40, '队伍名称'),
    area: text(40, '所在区域'),
    description: optionalText(1000, '队伍简介').default(''),
  })
  .strict();
export type CreateTeamBody = z.infer<typeof createTeamBodySchema>;

export const updateTeamBodySchema = z
  .object({
    name: text(40, '队伍名称').optional(),
    area: text(40, '所在区域').optional(),
    description: optionalText(1000, '队伍简介').optional(),
  })
  .strict();
export type UpdateTeamBody = z.infer<typeof updateTeamBodySchema>;

export const teamListQuerySchema = z
  .object({
    area: z.string().trim().max(40).optional(),
    q: z.string().trim().max(40).optional(),
    ...idListPageQueryShape,
  })
  .strict();
export const teamResponseSchema = z.object({ team: teamViewSchema }).strict();
/** GET /teams pages oldest team first; GET /me/teams answers the same shape (one page: a person's few teams). */
export const teamListResponseSchema = pageResponseSchema(teamViewSchema);
export const teamLeaderBodySchema = z.object({ userId: objectIdSchema }).strict();

export const teamMemberSchema = z
  .object({ id: objectIdSchema, nickname: z.string(), avatarUrl: z.string().nullable(), leader: z.boolean() })
  .strict();
export const teamMembersResponseSchema = z.object({ members: z.array(teamMemberSchema) }).strict();

export const JOIN_REQUEST_STATES = ['pending', 'approved', 'declined'] as const;
export type JoinRequestState = (typeof JOIN_REQUEST_STATES)[number];

export const joinRequestViewSchema = z
  .object({
    id: objectIdSchema,
    teamId: objectIdSchema,
    userId: objectIdSchema,
    nickname: z.string(),
    message: z.string(),
    state: z.enum(JOIN_REQUEST_STATES),
    decidedBy: objectIdSchema.nullable(),
    decidedAt: z.string().nullable(),
    reason: z.string().nullable(),
    createdAt: z.string(),
  })
  .strict();
export type JoinRequestView = z.infer<typeof joinRequestViewSchema>;

export const joinTeamBodySchema = z.object({ message: optionalText(200, '申请留言').default('') }).strict();
export const joinRequestListQuerySchema = z.object({ state: z.enum(JOIN_REQUEST_STATES).default('pending') }).strict();
export const decideJoinBodySchema = z
  .object({
    decision: z.enum(['approve', 'decline']),
    reason: optionalText(200, '理由').optional(),
  })
  .strict();
export type DecideJoinBody = z.infer<typeof decideJoinBodySchema>;
export const joinRequestResponseSchema = z.object({ request: joinRequestViewSchema }).strict();
export const joinRequestListResponseSchema = z.object({ items: z.array(joinRequestViewSchema) }).strict();

// ── sign-ups ──────────────────────────────────────────────────────────────────

export const SIGNUP_STATES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type SignupState = (typeof SIGNUP_STATES)[number];

export const signupViewSchema = z
  .object({
    activityId: objectIdSchema,
    userId: objectIdSchema,
    state: z.enum(SIGNUP_STATES),
    /** 1-based place in the waitlist while waitlisted. */
    waitlistPosition: z.number().int().nullable(),
    checkInAt: z.string().nullable(),
    checkOutAt: z.string().nullable(),
    /** Service minutes (check-in to check-out clipped to the activity's span), once checked out. */
    minutes: z.number().int().nullable(),
    confirmedAt: z.string().nullable(),
    pointsAwarded: z.number().int(),
    createdAt: z.string(),
  })
  .strict();
export type SignupView = z.infer<typeof signupViewSchema>;

// ── activities ──────────────────────────────────────────────────────────────────

export const AUDIENCES = ['team', 'public'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** How confirmed service pays: points per confirmed hour (pro rata by minute, rounded down) or a fixed amount. */
export const activityPointsSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('per_hour'), perHour: z.number().int().min(0).max(1000) }).strict(),
  z.object({ mode: z.literal('fixed'), amount: z.number().int().min(0).max(10000) }).strict(),
]);
export type ActivityPoints = z.infer<typeof activityPointsSchema>;

export const geofenceSchema = z
  .object({
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    radiusM: z.number().int().min(20, '签到范围至少 20 米').max(5000, '签到范围最多 5000 米'),
  })
  .strict();
export type Geofence = z.infer<typeof geofenceSchema>;

export const createActivityBodySchema = z
  .object({
    teamId: objectIdSchema,
    title: text(60, '活动标题'),
    description: optionalText(3000, '活动介绍').default(''),
    placeName: text(100, '活动地点'),
    /** Omitted → no geofence: only the leader's rotating code checks people in. */
    geofence: geofenceSchema.optional(),
    startAt: isoDate,
    endAt: isoDate,
    capacity: z.number().int().min(1).max(10000),
    signUpDeadline: isoDate,
    audience: z.enum(AUDIENCES),
    points: activityPointsSchema,
    /** How long before the start check-in opens (minutes). */
    checkInOpensMinutesBefore: z.number().int().min(0).max(720).default(30),
  })
  .strict()
  .refine((b) => Date.parse(b.endAt) > Date.parse(b.startAt), { message: '结束时间必须晚于开始时间', path: ['endAt'] })
  .refine((b) => Date.parse(b.signUpDeadline) <= Date.parse(b.endAt), {
    message: '报名截止时间不能晚于活动结束',
    path: ['signUpDeadline'],
  });
export type CreateActivityBody = z.infer<typeof createActivityBodySchema>;

export const activityViewSchema = z
  .object({
    id: objectIdSchema,
    teamId: objectIdSchema,
    teamName: z.string(),
    title: z.string(),
    description: z.string(),
    placeName: z.string(),
    geofence: geofenceSchema.nullable(),
    startAt: z.string(),
    endAt: z.string(),
    capacity: z.number().int(),
    seatsLeft: z.number().int(),
    waitlisted: z.number().int(),
    signUpDeadline: z.string(),
    audience: z.enum(AUDIENCES),
    points: activityPointsSchema,
    checkInOpensMinutesBefore: z.number().int(),
    /** The caller's sign-up, when signed in and signed up. */
    mySignup: signupViewSchema.nullable(),
    createdAt: z.string(),
    /** Metres from `near` to the activity's place (lists asked with near=; null when it has no place). */
    distanceM: z.number().int().nullable().optional(),
  })
  .strict();
export type ActivityView = z.infer<typeof activityViewSchema>;

/** `near=26.8382,116.3251`: where the reader stands (latitude,longitude; GCJ-02 like every stored place). */
export function parseNear(near: string): { lat: number; lng: number } | null {
  const m = /^\s*(-?\d{1,3}(?:\.\d{1,10})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,10})?)\s*$/.exec(near);
  if (!m) return null;
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lat, lng } : null;
}

export const activityListQuerySchema = z
  .object({
    teamId: objectIdSchema.optional(),
    /** Default: activities not yet ended. */
    include: z.enum(['upcoming', 'all']).default('upcoming'),
    /** Words in the title or the place's name. */
    q: z.string().trim().min(1).max(40).optional(),
    /**
     * 附近的活动: "lat,lng" of the reader. The list is then nearest first (activities without a place last, soonest
     * first among equals) and each carries distanceM; the cursor pages by (metres, id).
     */
    near: z
      .string()
      .max(40)
      .refine((v) => parseNear(v) !== null, '位置格式应为“纬度,经度”，如 26.8382,116.3251')
      .optional(),
    ...listPageQueryShape,
  })
  .strict();
export const activityResponseSchema = z.object({ activity: activityViewSchema }).strict();
/** Upcoming: soonest start first; all: latest start first; a stable `(startAt, id)` cursor either way. */
export const activityListResponseSchema = pageResponseSchema(activityViewSchema);

// ── check-in ──────────────────────────────────────────────────────────────────

export const signupResponseSchema = z.object({ signup: signupViewSchema }).strict();

export const locationSchema = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).strict();

export const checkInBodySchema = z
  .object({
    /** What the scanner read from the leader's rotating code; omitted when the printed mini-program code opened the page. */
    code: z.string().trim().min(1).max(200).optional(),
    /** The phone's reported position (Taro.getLocation, gcj02). */
    location: locationSchema.optional(),
  })
  .strict();
export type CheckInBody = z.infer<typeof checkInBodySchema>;

export const attendanceViewSchema = z
  .object({
    activityId: objectIdSchema,
    checkInAt: z.string().nullable(),
    checkOutAt: z.string().nullable(),
    minutes: z.number().int().nullable(),
  })
  .strict();
export const attendanceResponseSchema = z.object({ attendance: attendanceViewSchema }).strict();

export const dynamicCodeResponseSchema = z
  .object({
    /** The text the QR encodes: `RMVOL1|<activityId>|<slot>.<signature>`. */
    code: z.string(),
    slot: z.number().int(),
    /** When the shown code rotates (the previous one stays valid for one more slot). */
    rotatesAt: z.string(),
    /** PNG data URL of the QR image. */
    qrDataUrl: z.string(),
  })
  .strict();

// ── roster, corrections, confirmation ───────────────────────────────────────────

export const rosterEntrySchema = signupViewSchema
  .extend({
    nickname: z.string(),
    corrections: z.array(
      z
        .object({
          by: objectIdSchema,
          at: z.string(),
          reason: z.string(),
          checkInAt: z.string().nullable(),
          checkOutAt: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();
export type RosterEntry = z.infer<typeof rosterEntrySchema>;
export const rosterResponseSchema = z
  .object({
    counts: z
      .object({
        signedUp: z.number().int(),
        waitlisted: z.number().int(),
        checkedIn: z.number().int(),
        checkedOut: z.number().int(),
        confirmed: z.number().int(),
      })
      .strict(),
    items: z.array(rosterEntrySchema),
    nextCursor: z.string().nullable(),
  })
  .strict();
/**
 * The roster one state at a time (报名 = confirmed, 候补 = waitlisted), in queue order (`(queuedAt, id)` cursor), with
 * the whole activity's counts on every page. 100 a page by default: a leader on the spot scrolls, rarely pages.
 */
export const rosterQuerySchema = z
  .object({
    state: z.enum(['confirmed', 'waitlisted']).default('confirmed'),
    ...listPageQueryShape,
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

export const correctionBodySchema = z
  .object({
    checkInAt: isoDate.optional(),
    checkOutAt: isoDate.optional(),
    reason: text(200, '更正理由'),
  })
  .strict()
  .refine((b) => b.checkInAt !== undefined || b.checkOutAt !== undefined, { message: '请填写要更正的签到或签退时间', path: ['checkInAt'] });
export type CorrectionBody = z.infer<typeof correctionBodySchema>;
export const rosterEntryResponseSchema = z.object({ entry: rosterEntrySchema }).strict();

export const confirmBodySchema = z
  .object({
    /** Only these volunteers; omitted → everyone checked out and not yet confirmed. */
    userIds: z.array(objectIdSchema).max(2000).optional(),
  })
  .strict();
export const confirmResponseSchema = z
  .object({
    confirmed: z.array(
      z
        .object({
          userId: objectIdSchema,
          minutes: z.number().int(),
          points: z.number().int(),
          /** credited | duplicate (already paid) | capped (ledger refused) | none (activity pays nothing). */
          payment: z.enum(['credited', 'duplicate', 'capped', 'none']),
        })
        .strict(),
    ),
  })
  .strict();

// ── the volunteer's record ──────────────────────────────────────────────────────

export const recordActivitySchema = z
  .object({
    activityId: objectIdSchema,
    title: z.string(),
    teamName: z.string(),
    startAt: z.string(),
    endAt: z.string(),
    state: z.enum(SIGNUP_STATES),
    minutes: z.number().int().nullable(),
    confirmed: z.boolean(),
    pointsAwarded: z.number().int(),
  })
  .strict();
export const recordResponseSchema = z
  .object({
    /** Confirmed service only. */
    totalMinutes: z.number().int(),
    totalHours: z.number(),
    byYear: z.array(z.object({ year: z.string(), minutes: z.number().int(), hours: z.number() }).strict()),
    byMonth: z.array(z.object({ month: z.string(), minutes: z.number().int(), hours: z.number() }).strict()),
    activities: z.array(recordActivitySchema),
  })
  .strict();
export type RecordResponse = z.infer<typeof recordResponseSchema>;

export const certificateResponseSchema = z
  .object({
    certificate: z
      .object({
        serial: z.string(),
        name: z.string(),
        teams: z.array(z.string()),
        totalHours: z.number(),
        activityCount: z.number().int(),
        firstServiceAt: z.string().nullable(),
        lastServiceAt: z.string().nullable(),
        /** Confirmed hours per calendar year (Asia/Shanghai), newest first. */
        byYear: z.array(z.object({ year: z.string(), hours: z.number() }).strict()),
        /** When these figures were first issued (the same figures keep their serial and date). */
        issuedAt: z.string(),
        issuer: z.string(),
        lines: z.array(z.object({ date: z.string(), title: z.string(), hours: z.number() }).strict()),
        /** The public check of this certificate (GET, no sign-in): what its QR code encodes. */
        verifyUrl: z.string(),
        /** PNG data URL of the QR code of verifyUrl. */
        qrDataUrl: z.string(),
      })
      .strict(),
  })
  .strict();
export type CertificateView = z.infer<typeof certificateResponseSchema>['certificate'];

/** A certificate's serial as printed (16 hex characters; lower case and spaces are forgiven). */
export const certificateSerialParamsSchema = z
  .object({
    serial: z
      .string()
      .trim()
      .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
      .pipe(z.string().regex(/^[0-9A-F]{16}$/, '证明编号应为 16 位字母或数字')),
  })
  .strict();

/** What anyone holding a certificate can check: the figures as issued, the holder's name partly masked. */
export const certificateCheckResponseSchema = z
  .object({
    check: z
      .object({
        valid: z.literal(true),
        serial: z.string(),
        /** 张** — enough to match the paper, not to look people up. */
        maskedName: z.string(),
        totalHours: z.number(),
        activityCount: z.number().int(),
        byYear: z.array(z.object({ year: z.string(), hours: z.number() }).strict()),
        issuedAt: z.string(),
        issuer: z.string(),
        /** False when the holder has served more since (a newer certificate exists). */
        latest: z.boolean(),
      })
      .strict(),
  })
  .strict();
export type CertificateCheck = z.infer<typeof certificateCheckResponseSchema>['check'];
