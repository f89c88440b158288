/**
 * Reading a stored case's derived fields: the co-department parts (older cases lack some fields), who takes
 * part, and the $set that replaces a part. Pure: no database.
 */
import type { Types } from 'mongoose';
import { AppError } from '../../core/errors';
import type { CaseDoc, CoPartDoc } from './wenzheng.model';

/** Cases stored before co-department parts and copied leader ids existed read as having none. */
export const partsOf = (doc: Pick<CaseDoc, 'coParts'>): CoPartDoc[] => doc.coParts ?? [];
export const leaderIdsOf = (doc: Pick<CaseDoc, 'copiedLeaderIds'>): Types.ObjectId[] => doc.copiedLeaderIds ?? [];
export const escalatedAny = (doc: CaseDoc) => doc.escalated || partsOf(doc).some((p) => p.escalated);

/** A new deadline starts: the clock's marks start over. */
export const freshClock = { reminded: false, overdue: false, escalated: false };

export const newPart = (department: string, acceptDueAt: Date): CoPartDoc => ({
  department,
  state: 'assigned',
  acceptDueAt,
  ...freshClock,
});

/**
 * The co-departments taking part: none while the case is an internal report waiting for the propaganda
 * department (reports stored before suggestions had their own field kept them in `coDepartments`).
 */
export const coOf = (doc: Pick<CaseDoc, 'state' | 'coDepartments'>): string[] => (doc.state === 'reported' ? [] : doc.coDepartments);

/** An internal report's suggested co-departments (the propaganda department's default when it assigns). */
export const suggestedOf = (doc: Pick<CaseDoc, 'state' | 'coDepartments' | 'suggestedCoDepartments'>): string[] =>
  doc.state !== 'reported' ? [] : (doc.suggestedCoDepartments ?? doc.coDepartments);

/** The co-department codes for a lead (deduplicated, never the lead itself). */
export const coCodes = (codes: readonly string[], lead: string | undefined) => [...new Set(codes)].filter((c) => c !== lead);

export function partOf(d: CaseDoc, code: string): CoPartDoc {
  const part = partsOf(d).find((p) => p.department === code);
  if (!part) throw new AppError('WENZHENG_NOT_CO_DEPARTMENT', { details: { department: code } });
  return part;
}

const partsSet = (parts: CoPartDoc[]) => ({ coParts: parts, coDepartments: parts.map((p) => p.department) });

/** The $set replacing one part (`next` null removes it), keeping `coDepartments` equal to the parts. */
export function withPart(d: CaseDoc, code: string, next: CoPartDoc | null, add: CoPartDoc[] = []) {
  return partsSet([...partsOf(d).flatMap((p) => (p.department !== code ? [p] : next ? [next] : [])), ...add]);
}

/** The $set giving a newly assigned case these co-departments, each with a fresh accept clock. */
export const freshParts = (codes: readonly string[], acceptDueAt: Date) => partsSet(codes.map((c) => newPart(c, acceptDueAt)));
