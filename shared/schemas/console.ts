import { z } from 'zod';

/**
 * GET /api/v1/console/todo — what waits for the caller at the desk, one count per queue they own. A key is
 * present only when the caller's roles own that queue (an editor gets no department count, and the reverse).
 */
export const consoleTodoResponseSchema = z
  .object({
    counts: z
      .object({
        /** 投稿审核: pieces submitted, recommended by a circle leader or in review (editors). */
        submissions: z.number().int().min(0).optional(),
        /** 问政待审核: cases waiting for an editor's triage. */
        wenzhengTriage: z.number().int().min(0).optional(),
        /** 问政超期: open cases past their deadline — every department's for editors, their own for department staff. */
        wenzhengOverdue: z.number().int().min(0).optional(),
        /** 通讯员申请 waiting for a decision (editors). */
        correspondentApplications: z.number().int().min(0).optional(),
        /** 商户入驻申请 waiting for a decision (editors). */
        merchantApplications: z.number().int().min(0).optional(),
        /** 商户活动 waiting for an editor's review (editors). */
        promotions: z.number().int().min(0).optional(),
      })
      .strict(),
  })
  .strict();
export type ConsoleTodoResponse = z.infer<typeof consoleTodoResponseSchema>;
export type ConsoleTodoCounts = ConsoleTodoResponse['counts'];
