import { saveSubmissionBodySchema, type SaveSubmissionBody } from '@shared/schemas/newsroom';
import type { z } from 'zod';

/**
 * Client-side checks with the API's own zod schemas (shared/schemas), so the form says in Chinese what
 * the server would refuse before anything is sent.
 */

/** The first problem of a failed safeParse, as the schema words it. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue?.message ?? '填写有误';
}

/** Parses `input` with `schema`: the typed value, or the first Chinese message. */
export function check<S extends z.ZodType>(schema: S, input: unknown): { ok: true; value: z.output<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: firstIssue(parsed.error) };
}

/** What the 写稿 page edits. Empty optional fields are left out (or cleared with null on an existing piece). */
export interface DraftForm {
  title: string;
  body: string;
  imageIds: string[];
  videoUrl: string;
  place: string;
  campaign: string;
  copyright: 'exclusive' | 'non_exclusive' | null;
  originalityStatement: boolean;
  assignmentId: string | null;
}

export function draftBody(f: DraftForm): Record<string, unknown> {
  const opt = (v: string) => (v.trim() ? v.trim() : null);
  return {
    title: f.title,
    ...(f.body.trim() ? { body: f.body } : {}),
    imageIds: f.imageIds,
    videoUrl: opt(f.videoUrl),
    place: opt(f.place),
    campaign: opt(f.campaign),
    ...(f.copyright ? { copyright: f.copyright } : {}),
    originalityStatement: f.originalityStatement,
    assignmentId: f.assignmentId,
  };
}

/** Saving a draft: the API's schema (a title is enough). */
export function checkDraft(f: DraftForm): { ok: true; value: SaveSubmissionBody } | { ok: false; message: string } {
  return check(saveSubmissionBodySchema, draftBody(f));
}

/** Submitting: the draft rules plus what the API requires at submit (body, copyright, originality statement). */
export function checkForSubmit(f: DraftForm): { ok: true; value: SaveSubmissionBody } | { ok: false; message: string } {
  const draft = checkDraft(f);
  if (!draft.ok) return draft;
  if (!f.body.trim()) return { ok: false, message: '正文不能为空' };
  if (!f.copyright) return { ok: false, message: '请选择版权授权方式' };
  if (!f.originalityStatement) return { ok: false, message: '请确认原创声明' };
  return draft;
}

/** "2026-12-03" + "09:30" in Asia/Shanghai → ISO with offset, as publishBodySchema wants. */
export function shanghaiIso(date: string, time: string): string {
  return `${date}T${time}:00+08:00`;
}
