import { z } from 'zod';
import { calendarDaySchema } from './dates';

/**
 * 数据看板 (staff console): figures served from daily roll-ups that the `stats-rollup` job keeps, never from
 * the raw collections. Days are Asia/Shanghai calendar days (YYYY-MM-DD).
 */
export const statsDaySchema = calendarDaySchema;

/** The longest range one dashboard or statistics export covers. */
export const STATS_MAX_DAYS = 366;

const rangeFields = {
  /** First day (inclusive); default 29 days before `to`. */
  from: statsDaySchema.optional(),
  /** Last day (inclusive); default yesterday (today's roll-up is written after midnight). */
  to: statsDaySchema.optional(),
  /** 区域 (users' district, circles' district). */
  area: z.string().trim().min(1).max(32).optional(),
  /** 部门 code (问政). Department staff always get their own department. */
  department: z.string().trim().min(1).max(32).optional(),
};

export const dashboardQuerySchema = z.object(rangeFields).strict();
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>;

const count = z.number().int().min(0);
const named = { key: z.string(), name: z.string() };

export const dashboardResponseSchema = z
  .object({
    from: statsDaySchema,
    to: statsDaySchema,
    /** Days of the range that have a roll-up (a day before the first roll-up, or not yet back-filled, is absent). */
    daysComputed: count,
    /** Areas and departments seen in the range's roll-ups: the filters' choices. */
    filters: z.object({ areas: z.array(z.string()), departments: z.array(z.object(named).strict()) }).strict(),
    users: z
      .object({
        days: z.array(z.object({ day: statsDaySchema, newUsers: count, totalUsers: count, activeUsers: count }).strict()),
      })
      .strict()
      .optional(),
    reads: z
      .object({
        days: z.array(z.object({ day: statsDaySchema, reads: count }).strict()),
        topArticles: z.array(z.object({ ...named, reads: count }).strict()),
      })
      .strict()
      .optional(),
    circles: z.array(z.object({ ...named, submissions: count, publications: count }).strict()).optional(),
    wenzheng: z
      .object({
        days: z.array(z.object({ day: statsDaySchema, intake: count, answered: count, overdue: count }).strict()),
        departments: z.array(
          z
            .object({
              ...named,
              intake: count,
              answered: count,
              answeredOnTime: count,
              overdue: count,
              /** answered ÷ intake over the range (null without intake). */
              replyRate: z.number().nullable(),
              /** Median hours from assignment to first answer, over the answers given in the range. */
              medianHoursToAnswer: z.number().nullable(),
            })
            .strict(),
        ),
      })
      .strict(),
    volunteers: z.array(z.object({ ...named, hours: z.number(), volunteers: count }).strict()).optional(),
    coupons: z
      .object({
        funnel: z.object({ issued: count, claimed: count, redeemed: count, expired: count }).strict(),
        batches: z.array(z.object({ ...named, issued: count, claimed: count, redeemed: count, expired: count }).strict()),
        merchants: z.array(z.object({ ...named, redeemed: count }).strict()),
      })
      .strict()
      .optional(),
    points: z
      .object({
        days: z.array(z.object({ day: statsDaySchema, issued: count, spent: count }).strict()),
        sources: z.array(z.object({ source: z.string(), issued: count, spent: count }).strict()),
      })
      .strict()
      .optional(),
  })
  .strict();
export type DashboardResponse = z.infer<typeof dashboardResponseSchema>;

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_KINDS = ['audit', 'stats', 'volunteer-hours', 'coupon-redemptions'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const exportParamsSchema = z.object({ kind: z.enum(EXPORT_KINDS, { message: '未知的导出类型' }) }).strict();
export const exportQuerySchema = z
  .object({
    format: z.enum(EXPORT_FORMATS, { message: '导出格式应为 csv 或 xlsx' }).default('csv'),
    ...rangeFields,
  })
  .strict();
export type ExportQuery = z.infer<typeof exportQuerySchema>;
