import { z } from 'zod';
import { pageResponseSchema, queuePageQueryShape } from './paging';
import { text } from './text';
import { objectIdSchema } from './users';

/**
 * Contests (征集评选): ordered rounds with dates, entries, public voting with per-user daily limits,
 * jury scoring, ranked results and awards. Shared by the API and the mini-program.
 */

const mediaUrl = z
  .string()
  .trim()
  .max(512)
  .regex(/^(https?:\/\/\S+|\/api\/v1\/files\/[A-Za-z0-9._-]+)$/, '链接无效');
const isoDate = z.iso.datetime({ offset: true, message: '时间格式无效' });

// ── rounds ──────────────────────────────────────────────────────────────────────

/**
 * Round kinds, in the only order they may appear. `submission` (open call: entries filed) and `results`
 * are required; `shortlist` (jury picks), `voting` (public vote) and `judging` (jury scores) are optional.
 */
export const ROUND_KINDS = ['submission', 'shortlist', 'voting', 'judging', 'results'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];
export const ROUND_LABELS: Readonly<Record<RoundKind, string>> = {
  submission: '作品征集',
  shortlist: '评委初选',
  voting: '公众投票',
  judging: '评委打分',
  results: '结果公布',
};
/** Before the first round starts. */
export type ContestPhase = RoundKind | 'upcoming';
/** What a contest is doing now, in words a resident understands (the 活动 tab and the contest list). */
export const CONTEST_PHASE_TEXT: Readonly<Record<ContestPhase, string>> = {
  upcoming: '即将开始',
  submission: '作品征集中',
  shortlist: '评委初选中',
  voting: '投票进行中',
  judging: '评委打分中',
  results: '结果已公布',
};

export const roundInputSchema = z
  .object({
    kind: z.enum(ROUND_KINDS),
    /** The round runs from here until the next round's start (results never end). */
    startsAt: isoDate,
  })
  .strict();

const roundsSchema = z
  .array(roundInputSchema)
  .min(2)
  .max(ROUND_KINDS.length)
  .superRefine((rounds, ctx) => {
    const order = rounds.map((r) => ROUND_KINDS.indexOf(r.kind));
    if (rounds[0]?.kind !== 'submission') ctx.addIssue({ code: 'custom', message: '第一轮必须是作品征集', path: [0, 'kind'] });
    if (rounds.at(-1)?.kind !== 'results')
      ctx.addIssue({ code: 'custom', message: '最后一轮必须是结果公布', path: [rounds.length - 1, 'kind'] });
    for (let i = 1; i < rounds.length; i += 1) {
      if (order[i]! <= order[i - 1]!) ctx.addIssue({ code: 'custom', message: '轮次顺序无效或重复', path: [i, 'kind'] });
      if (Date.parse(rounds[i]!.startsAt) <= Date.parse(rounds[i - 1]!.startsAt))
        ctx.addIssue({ code: 'custom', message: '每一轮的开始时间必须晚于上一轮', path: [i, 'startsAt'] });
    }
  });

// ── contest config ──────────────────────────────────────────────────────────────

export const votingRulesSchema = z
  .object({
    /** Votes one user may cast per Shanghai day in this contest. */
    perUserPerDay: z.number().int().min(1).max(100).default(3),
    /** Votes one user may give the same entry per Shanghai day. */
    perEntryPerDay: z.number().int().min(1).max(100).default(1),
    /** Hide vote totals until voting closes (rankings can't drive a bandwagon or canvassing). */
    hideTotals: z.boolean().default(true),
    /** Accounts younger than this are flagged when they vote. */
    newAccountHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 90)
      .default(72),
    /** More distinct voters than this from one device (X-Device-Id) in a day are flagged. */
    maxUsersPerDevice: z.number().int().min(1).max(50).default(2),
  })
  .strict();
export type VotingRules = z.infer<typeof votingRulesSchema>;

/**
 * How ties on the final score are broken, chosen per contest: the first key named, then the others in the
 * order given; the earlier entry wins when everything else is equal.
 */
export const TIE_BREAKS = ['jury', 'votes', 'earliest'] as const;
export type TieBreak = (typeof TIE_BREAKS)[number];
export const TIE_BREAK_RULES: Readonly<Record<TieBreak, string>> = {
  jury: '总分相同时，依次比较：评委平均分高者在前；公众票数多者在前；报名时间早者在前。',
  votes: '总分相同时，依次比较：公众票数多者在前；评委平均分高者在前；报名时间早者在前。',
  earliest: '总分相同时，报名时间早者在前。',
};

export const awardTierSchema = z
  .object({
    label: text(20, '奖项名称'),
    /** How many ranked entries get this award (the next ones after the previous tier's). */
    count: z.number({ error: '请填写获奖名额' }).int().min(1, '获奖名额至少 1 名').max(100, '获奖名额最多 100 名'),
    points: z.number({ error: '请填写奖励积分' }).int().min(0, '不能小于 0').max(100_000, '奖励积分最多 100000'),
  })
  .strict();

export const createContestBodySchema = z
  .object({
    title: text(60, '标题'),
    description: text(2000, '简介'),
    cover: mediaUrl.optional(),
    /** A campaign tag: approved submissions carrying it may be entered. */
    campaign: text(30, '关联话题').optional(),
    rounds: roundsSchema,
    entryKinds: z
      .array(z.enum(['submission', 'photo', 'video']))
      .min(1)
      .default(['submission', 'photo', 'video']),
    maxEntriesPerPerson: z.number().int().min(1).max(20).default(1),
    voting: votingRulesSchema.default({
      perUserPerDay: 3,
      perEntryPerDay: 1,
      hideTotals: true,
      newAccountHours: 72,
      maxUsersPerDevice: 2,
    }),
    /** Weights of the jury score and the public vote in the final score, in percent (sum 100). */
    juryWeight: z.number().int().min(0).max(100).default(70),
    publicWeight: z.number().int().min(0).max(100).default(30),
    awards: z.array(awardTierSchema).max(10).default([]),
    /** Absent: 'jury'. */
    tieBreak: z.enum(TIE_BREAKS).optional(),
  })
  .strict()
  .refine((c) => c.juryWeight + c.publicWeight === 100, { message: '评委与公众权重之和必须为 100', path: ['publicWeight'] });
export type CreateContestBody = z.infer<typeof createContestBodySchema>;

export const contestIdParamsSchema = z.object({ id: objectIdSchema }).strict();
export const entryParamsSchema = z.object({ id: objectIdSchema, entryId: objectIdSchema }).strict();
export const voteParamsSchema = z.object({ id: objectIdSchema, voteId: objectIdSchema }).strict();

export const appointJurorBodySchema = z.object({ userId: objectIdSchema }).strict();

// ── entries ─────────────────────────────────────────────────────────────────────

export const fileEntryBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('submission'), submissionId: objectIdSchema }).strict(),
  z
    .object({
      kind: z.literal('photo'),
      title: text(60, '作品名称'),
      description: text(500, '作品说明').optional(),
      imageUrls: z.array(mediaUrl).min(1).max(9),
    })
    .strict(),
  z
    .object({
      kind: z.literal('video'),
      title: text(60, '作品名称'),
      description: text(500, '作品说明').optional(),
      videoUrl: z.string().trim().url('视频链接无效').max(512),
    })
    .strict(),
]);
export type FileEntryBody = z.infer<typeof fileEntryBodySchema>;

export const shortlistBodySchema = z.object({ shortlisted: z.boolean() }).strict();
export const scoreBodySchema = z.object({ score: z.number().int().min(0).max(100) }).strict();
export const voidVoteBodySchema = z.object({ reason: text(200, '作废理由') }).strict();

/**
 * GET /api/v1/contests/:id/entries: in filing order (oldest first), paged. Not by votes: the live tally is in
 * Redis and moves while someone pages, so a vote-ordered cursor would skip or repeat entries; the ranking is
 * the results endpoint's job.
 */
export const entriesQuerySchema = z
  .object({
    shortlisted: z.enum(['true', 'false']).optional(),
    mine: z.enum(['true', 'false']).optional(),
    ...queuePageQueryShape,
  })
  .strict();
export type EntriesQuery = z.infer<typeof entriesQuerySchema>;
/** Where a contest stands by its schedule: before its first round, between it and results, from results on. */
export const CONTEST_STATUSES = ['upcoming', 'running', 'ended'] as const;
/** GET /api/v1/contests: newest first; `q` matches the title (substring), `status` the schedule at the request's instant. */
export const listContestsQuerySchema = z
  .object({ q: z.string().trim().min(1).max(50).optional(), status: z.enum(CONTEST_STATUSES).optional(), ...queuePageQueryShape })
  .strict();
export type ListContestsQuery = z.infer<typeof listContestsQuerySchema>;
export const flaggedVotesQuerySchema = z
  .object({
    status: z.enum(['valid', 'void']).optional(),
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

// ── views ───────────────────────────────────────────────────────────────────────

export const roundViewSchema = z
  .object({ kind: z.enum(ROUND_KINDS), label: z.string(), startsAt: z.string(), endsAt: z.string().nullable() })
  .strict();

export const contestViewSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    cover: z.string().nullable(),
    campaign: z.string().nullable(),
    rounds: z.array(roundViewSchema),
    /** The round the clock is in now. */
    phase: z.enum([...ROUND_KINDS, 'upcoming']),
    /** The round the advance job has carried the contest into (catches up at the next run). */
    advancedTo: z.enum([...ROUND_KINDS, 'upcoming']),
    entryKinds: z.array(z.enum(['submission', 'photo', 'video'])),
    maxEntriesPerPerson: z.number().int(),
    voting: votingRulesSchema,
    juryWeight: z.number().int(),
    publicWeight: z.number().int(),
    awards: z.array(awardTierSchema),
    jurorIds: z.array(z.string()),
    /** Vote totals are visible now (always after voting closes, before only when not hidden). */
    totalsVisible: z.boolean(),
    resultsPublished: z.boolean(),
    tieBreak: z.enum(TIE_BREAKS),
    tieBreakRule: z.string(),
    createdAt: z.string(),
  })
  .strict();
export type ContestView = z.infer<typeof contestViewSchema>;

export const entryViewSchema = z
  .object({
    id: z.string(),
    contestId: z.string(),
    authorId: z.string(),
    authorName: z.string(),
    kind: z.enum(['submission', 'photo', 'video']),
    submissionId: z.string().nullable(),
    title: z.string(),
    description: z.string().nullable(),
    imageUrls: z.array(z.string()),
    videoUrl: z.string().nullable(),
    shortlisted: z.boolean(),
    /** Null while totals are hidden. */
    votes: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .strict();
export type EntryView = z.infer<typeof entryViewSchema>;

export const voteResponseSchema = z
  .object({
    voteId: z.string(),
    /** Votes left today in this contest, and for this entry. */
    remainingToday: z.number().int(),
    remainingForEntryToday: z.number().int(),
    /** Null while totals are hidden. */
    entryVotes: z.number().int().nullable(),
  })
  .strict();

export const voteViewSchema = z
  .object({
    id: z.string(),
    entryId: z.string(),
    /** The entry's title, so a page of votes reads without fetching every entry. */
    entryTitle: z.string(),
    userId: z.string(),
    /** The voter's nickname (null: the account no longer exists), so the admin reads people, not ids. */
    voterName: z.string().nullable(),
    day: z.string(),
    deviceId: z.string().nullable(),
    status: z.enum(['valid', 'void']),
    flags: z.array(z.string()),
    voidReason: z.string().nullable(),
    createdAt: z.string(),
  })
  .strict();
export type VoteView = z.infer<typeof voteViewSchema>;

export const resultRowSchema = z
  .object({
    rank: z.number().int(),
    entryId: z.string(),
    title: z.string(),
    authorId: z.string(),
    authorName: z.string(),
    juryScore: z.number(),
    jurorCount: z.number().int(),
    votes: z.number().int(),
    publicScore: z.number(),
    finalScore: z.number(),
    award: z
      .object({ label: z.string(), points: z.number().int(), status: z.enum(['pending', 'paid', 'capped']) })
      .strict()
      .nullable(),
  })
  .strict();
export type ResultRow = z.infer<typeof resultRowSchema>;

export const resultsResponseSchema = z
  .object({
    contest: contestViewSchema,
    formula: z.string(),
    tieBreakRule: z.string(),
    rows: z.array(resultRowSchema),
    publishedAt: z.string(),
  })
  .strict();
export type ResultsResponse = z.infer<typeof resultsResponseSchema>;

export const contestResponseSchema = z.object({ contest: contestViewSchema }).strict();
export const contestListResponseSchema = pageResponseSchema(contestViewSchema);
export const entryResponseSchema = z.object({ entry: entryViewSchema }).strict();
export const entryListResponseSchema = pageResponseSchema(entryViewSchema);
export const voteListResponseSchema = z.object({ items: z.array(voteViewSchema), nextCursor: z.string().nullable() }).strict();
/** GET /api/v1/contests/:id/jurors: the appointed jurors by name, in appointment order (all of them: a jury is small). */
export const jurorViewSchema = z.object({ id: z.string(), nickname: z.string(), username: z.string().nullable() }).strict();
export type JurorView = z.infer<typeof jurorViewSchema>;
export const jurorListResponseSchema = pageResponseSchema(jurorViewSchema);
export const advanceResponseSchema = z.object({ advanced: z.number().int(), contests: z.number().int() }).strict();
export const reconcileResponseSchema = z.object({ entries: z.number().int(), corrected: z.number().int() }).strict();

/** The default rule (contests created before the rule was configurable use it). */
export const TIE_BREAK_RULE = TIE_BREAK_RULES.jury;
export const SCORE_FORMULA =
  '总分 = 评委平均分 × 评委权重% + 公众得分 × 公众权重%；公众得分 = 本作品有效票数 ÷ 最高有效票数 × 100（均为 0–100，保留两位小数）';
