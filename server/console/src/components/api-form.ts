import type { FormInstance } from 'antd';
import type { z } from 'zod';
import { ApiError } from '../api/client';

/** A dotted field path as antd names it: list positions are numbers (`rounds.1.startsAt` → ['rounds', 1, 'startsAt']). */
export function namePath(field: string): Array<string | number> {
  return field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Puts problems next to the fields they are about: a zod issue list (checked before sending, with the API's own
 * schema) or the API's VALIDATION_FAILED issues. Returns the message of whatever could not be placed on a field.
 */
export function showFieldErrors(
  form: FormInstance,
  issues: ReadonlyArray<{ path: string | ReadonlyArray<PropertyKey>; message: string }>,
  fields: readonly string[],
): string | null {
  const byField = new Map<string, string[]>();
  const loose: string[] = [];
  for (const issue of issues) {
    const path = typeof issue.path === 'string' ? issue.path : issue.path.map(String).join('.');
    const field = fields.find((f) => path === f || path.startsWith(`${f}.`));
    if (field) byField.set(field, [...(byField.get(field) ?? []), issue.message]);
    else loose.push(issue.message);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: namePath(name), errors })));
  return loose.length ? loose.join('；') : null;
}

/** Validates with the API's schema before sending; false (and errors on the fields) when it would be refused. */
export function checkWith<S extends z.ZodType>(
  form: FormInstance,
  schema: S,
  value: unknown,
  fields: readonly string[],
): z.output<S> | null {
  // The last attempt's errors go first: a field fixed since then must not keep its old message.
  form.setFields(fields.map((f) => ({ name: namePath(f), errors: [] })));
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  showFieldErrors(form, parsed.error.issues, fields);
  return null;
}

/**
 * An API refusal shown where it belongs: field issues next to their fields, a code the caller maps to a field
 * (ROLE_NOT_GRANTABLE → role) or a field the refusal names (`details.field`) next to it, anything else returned for a message above the form.
 */
export function apiErrorToForm(
  form: FormInstance,
  err: unknown,
  fields: readonly string[],
  codeToField: Record<string, string> = {},
): string | null {
  if (!(err instanceof ApiError)) return '网络错误，请重试';
  if (err.issues.length) return showFieldErrors(form, err.issues, fields);
  // A rule beyond the schema may name its field itself (COUPON_BATCH_INVALID: details.field).
  const named = typeof err.details?.field === 'string' ? fields.find((f) => f === err.details?.field) : undefined;
  const field = codeToField[err.code] ?? named;
  if (field) {
    form.setFields([{ name: namePath(field), errors: [err.message] }]);
    return null;
  }
  return err.message;
}
