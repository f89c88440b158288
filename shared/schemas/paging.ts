import { z } from 'zod';
import { objectIdSchema } from './users';

/**
 * The paging of a list (work queues oldest first, most lists newest first): pages of `{ items, nextCursor }`. The
 * cursor is opaque to callers: pass back the `nextCursor` of the previous page.
 */
export const queuePageQueryShape = {
  cursor: objectIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
};

/**
 * Lists sorted by a date (start time, publication, claim time) page by `(date, id)`: the cursor is opaque to callers
 * (pass back `nextCursor`); its form is checked here so a mangled one is refused with VALIDATION_FAILED.
 */
export const keyCursorSchema = z.string().regex(/^-?\d{1,15}\.[0-9a-f]{24}$/, '分页游标无效');

/** Public and personal lists (coupons, promotions, activities, teams): newest or soonest first, 20 a page by default. */
export const listPageQueryShape = {
  cursor: keyCursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

/** The same as listPageQueryShape for lists paged by id alone. */
export const idListPageQueryShape = {
  cursor: objectIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

export const pageResponseSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).strict();

/** Several rows decided at once: each id at most once, up to 50. */
export const batchIdsSchema = z
  .array(objectIdSchema)
  .min(1, '请至少选择一项')
  .max(50, '一次最多处理 50 项')
  .refine((ids) => new Set(ids).size === ids.length, '列表中有重复的 ID');

/**
 * The answer of a batch decision: one result per id, in the order asked. A row that could not be decided (already
 * decided, not found, not yours…) says why with the same code and message a single decision would have answered.
 */
export const batchResultsSchema = <T extends z.ZodType>(item: T) =>
  z
    .object({
      results: z.array(
        z.union([
          z.object({ id: objectIdSchema, ok: z.literal(true), item }).strict(),
          z
            .object({ id: objectIdSchema, ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }).strict() })
            .strict(),
        ]),
      ),
    })
    .strict();
export type BatchResult<T> = { id: string; ok: true; item: T } | { id: string; ok: false; error: { code: string; message: string } };
