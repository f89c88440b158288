/**
 * Reading a case and changing it: every change is one conditional update on (state, event count) that
 * appends its events, re-decided when a concurrent change got there first.
 */
import { Types } from 'mongoose';
import { CASE_STATE_LABELS, type CaseEventType, type CaseState } from '@shared/schemas/wenzheng';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { ACTION_LABELS, type CaseAction } from './case-rules';
import { CaseModel, type CaseDoc, type CaseEventDoc, type CoPartDoc } from './wenzheng.model';

/** Who did something, for the event log: the person (staff eyes) and the public label. */
export interface By {
  id: string | null;
  name: string;
  label: string;
}

export interface NewEvent {
  type: CaseEventType;
  by: By;
  from?: CaseState;
  to?: CaseState;
  note?: string;
  noteAudience?: CaseEventDoc['noteAudience'];
  data?: Record<string, unknown>;
}

export interface Mutation {
  to?: CaseState;
  events: NewEvent[];
  set?: Record<string, unknown>;
  unset?: string[];
  addFollowers?: Types.ObjectId[];
}

/** What must hold of a case, on every read of it, before the caller may act (access.ts builds these). */
export type Gate = (doc: CaseDoc) => Promise<void> | void;

export async function mustFind(id: string): Promise<CaseDoc> {
  const doc = Types.ObjectId.isValid(id) ? await CaseModel.findById(id).lean<CaseDoc>() : null;
  if (!doc) throw new AppError('WENZHENG_CASE_NOT_FOUND');
  return doc;
}

export function stateConflict(state: CaseState, action: CaseAction): AppError {
  return new AppError('WENZHENG_STATE_CONFLICT', {
    message: `事项当前状态为「${CASE_STATE_LABELS[state]}」，不能${ACTION_LABELS[action]}`,
    details: { state, action },
  });
}

export function partConflict(part: CoPartDoc, action: CaseAction): AppError {
  return new AppError('WENZHENG_STATE_CONFLICT', {
    message: `协办部分当前状态为「${CASE_STATE_LABELS[part.state]}」，不能${ACTION_LABELS[action]}`,
    details: { state: part.state, action, department: part.department },
  });
}

/** The clock skips a case someone moved on meanwhile. */
export function ignoreConflict(err: unknown): { doc: CaseDoc; applied: false } {
  if (err instanceof AppError && err.code === 'WENZHENG_STATE_CONFLICT') return { doc: null as unknown as CaseDoc, applied: false };
  throw err;
}

/** One transition event (from the current state to `to`). */
export const step = (doc: CaseDoc, to: CaseState | undefined, e: Omit<NewEvent, 'from' | 'to'>): NewEvent => ({
  ...e,
  from: doc.state,
  ...(to ? { to } : {}),
});

export type Mutate = ReturnType<typeof createCaseStore>['mutate'];

export function createCaseStore(clock: Clock) {
  /**
   * Once `who` lets the caller act (see Gate), applies `build`'s change in one conditional update on
   * (state, seq), appending its events with the next sequence numbers: a concurrent change makes the
   * condition fail, and we re-read and re-decide (a transition that is no longer legal answers 409 with the
   * state now). `build` returning null = nothing to do.
   */
  async function mutate(
    who: Gate,
    id: string,
    action: CaseAction,
    allowed: readonly CaseState[],
    build: (doc: CaseDoc) => Promise<Mutation | null> | Mutation | null,
  ): Promise<{ doc: CaseDoc; applied: boolean }> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const doc = await mustFind(id);
      await who(doc);
      if (!allowed.includes(doc.state)) throw stateConflict(doc.state, action);
      const m = await build(doc);
      if (!m) return { doc, applied: false };
      const now = clock.now();
      const seq = doc.events.length;
      const events: CaseEventDoc[] = m.events.map((e, i) => ({
        seq: seq + i,
        type: e.type,
        at: now,
        byName: e.by.name,
        byLabel: e.by.label,
        noteAudience: e.noteAudience ?? 'staff',
        data: e.data ?? {},
        ...(e.by.id ? { by: oid(e.by.id) } : {}),
        ...(e.from ? { from: e.from } : {}),
        ...(e.to ? { to: e.to } : {}),
        ...(e.note ? { note: e.note } : {}),
      }));
      const update: Record<string, unknown> = {
        $set: { ...m.set, ...(m.to ? { state: m.to } : {}), updatedAt: now },
        $push: { events: { $each: events } },
      };
      if (m.unset?.length) update.$unset = Object.fromEntries(m.unset.map((k) => [k, 1]));
      if (m.addFollowers?.length) update.$addToSet = { followers: { $each: m.addFollowers } };
      const updated = await CaseModel.findOneAndUpdate({ _id: doc._id, state: doc.state, events: { $size: seq } }, update, {
        returnDocument: 'after',
        lean: true,
      });
      if (updated) return { doc: updated as CaseDoc, applied: true };
    }
    const last = await mustFind(id);
    await who(last);
    throw stateConflict(last.state, action);
  }

  return { mutate };
}
