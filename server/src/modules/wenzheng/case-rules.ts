/**
 * The 问政 case's state machine, pure: which action a case (or a co-department's part of it) takes in which
 * state, who takes it, where it leads, and the deadline rules. No database, no Redis, no clock: callers pass
 * `now`. The service asks these before every change; case-rules.test.ts walks every transition.
 */
import type { CaseState, CaseType, CoPartState, RoutingTier, WenzhengSettings } from '@shared/schemas/wenzheng';

export type CaseAction =
  | 'reject'
  | 'merge'
  | 'forward'
  | 'assign'
  | 'accept'
  | 'answer'
  | 'extension'
  | 'decide_extension'
  | 'decline'
  | 'handover'
  | 'rate'
  | 'reopen'
  | 'visibility'
  | 'clock';

/** How a refused action is named to people (409 messages). */
export const ACTION_LABELS: Readonly<Record<CaseAction, string>> = {
  reject: '不予受理',
  merge: '合并',
  forward: '转交办理',
  assign: '交办',
  accept: '受理',
  answer: '答复',
  extension: '申请延期',
  decide_extension: '审核延期',
  decline: '申请转办',
  handover: '确认转办',
  rate: '评价',
  reopen: '申请重办',
  visibility: '设置公开',
  clock: '计时',
};

/**
 * Who takes an action, relative to the case: the editor (融媒体中心), the propaganda department, the
 * case's handler (its lead department, or the grid's 三长 on a grid case), a co-department on its own part,
 * the citizen who asked, or the system's clock.
 */
export type CaseActor = 'editor' | 'propaganda' | 'handler' | 'co_department' | 'poster' | 'system';

/** Still being worked on: a duplicate may be merged into these. */
export const OPEN_STATES: readonly CaseState[] = ['reported', 'assigned', 'handover', 'accepted', 'answered'];
/** Never on the public board whatever `published` says. */
export const NOT_PUBLIC_STATES: readonly CaseState[] = ['pending', 'rejected', 'merged'];
/** A duplicate's survivor takes it in while open, or closed meanwhile. */
export const MERGE_TARGET_STATES: readonly CaseState[] = [...OPEN_STATES, 'closed'];
/** Case states in which co-departments work on their parts (and their clocks run). */
export const PART_CASE_STATES: readonly CaseState[] = ['assigned', 'handover', 'accepted', 'answered'];
/** Part states still owing something (counted in digests). */
export const PART_OPEN_STATES: readonly CoPartState[] = ['assigned', 'accepted', 'handover'];

/** Who takes each action on the case as a whole. */
export const ACTION_ACTOR: Readonly<Record<CaseAction, CaseActor>> = {
  reject: 'editor',
  merge: 'editor',
  forward: 'editor',
  assign: 'propaganda',
  accept: 'handler',
  answer: 'handler',
  extension: 'handler',
  decide_extension: 'editor',
  decline: 'handler',
  handover: 'editor',
  rate: 'poster',
  reopen: 'poster',
  visibility: 'editor',
  clock: 'system',
};

/** The states each action may start from; anything else is a 409 with the current state. */
export const START_STATES: Readonly<Record<CaseAction, readonly CaseState[]>> = {
  reject: ['pending'],
  merge: ['pending'],
  forward: ['pending'],
  assign: ['reported'],
  accept: ['assigned'],
  answer: ['accepted'],
  extension: ['accepted'],
  decide_extension: ['accepted'],
  decline: ['assigned', 'accepted'],
  handover: ['handover'],
  rate: ['answered'],
  reopen: ['closed'],
  visibility: [...OPEN_STATES, 'closed'],
  clock: ['assigned', 'accepted'],
};

/** What the actor chose, where the next state depends on it. */
export interface TransitionChoice {
  /** forward: the routing tier (an internal report to the propaganda department waits in `reported`). */
  tier?: RoutingTier;
  /** handover: the editor confirms the hand-over (a new department, `assigned`) or sends it back. */
  confirm?: boolean;
  /** handover sent back: the state the department declined from (kept on the case's `handover`). */
  declinedFrom?: CaseState;
}

export type Decision = { ok: true; to: CaseState } | { ok: false; refused: 'actor' | 'state' };

export function mayStart(action: CaseAction, state: CaseState): boolean {
  return START_STATES[action].includes(state);
}

/**
 * Where `action` takes a case in `from` (the same state for actions that change no state: extensions,
 * visibility, the clock's marks). Only meaningful when `mayStart(action, from)`.
 */
export function nextState(action: CaseAction, from: CaseState, choice: TransitionChoice = {}): CaseState {
  switch (action) {
    case 'reject':
      return 'rejected';
    case 'merge':
      return 'merged';
    case 'forward':
      return choice.tier === 'propaganda' ? 'reported' : 'assigned';
    case 'assign':
      return 'assigned';
    case 'accept':
      return 'accepted';
    case 'answer':
      return 'answered';
    case 'decline':
      return 'handover';
    case 'handover':
      if (choice.confirm) return 'assigned';
      if (!choice.declinedFrom || !START_STATES.decline.includes(choice.declinedFrom)) {
        throw new Error(`a hand-over sent back needs the state declined from, got ${String(choice.declinedFrom)}`);
      }
      return choice.declinedFrom;
    case 'rate':
      return 'closed';
    case 'reopen':
      return 'accepted';
    case 'extension':
    case 'decide_extension':
    case 'visibility':
    case 'clock':
      return from;
  }
}

/** The whole rule: whether `by` may take `action` on a case in `from`, and where it leads. */
export function decide(action: CaseAction, by: CaseActor, from: CaseState, choice: TransitionChoice = {}): Decision {
  if (ACTION_ACTOR[action] !== by) return { ok: false, refused: 'actor' };
  if (!mayStart(action, from)) return { ok: false, refused: 'state' };
  return { ok: true, to: nextState(action, from, choice) };
}

// ── a co-department's part (协办) ──

export type PartAction = 'accept' | 'answer' | 'decline' | 'handover';

export const PART_ACTION_ACTOR: Readonly<Record<PartAction, CaseActor>> = {
  accept: 'co_department',
  answer: 'co_department',
  decline: 'co_department',
  handover: 'editor',
};

export const PART_START_STATES = {
  accept: ['assigned'],
  answer: ['accepted'],
  decline: ['assigned', 'accepted'],
  handover: ['handover'],
} as const satisfies Record<PartAction, readonly CoPartState[]>;
/** The part states `action` may start from. */
export type PartStartState<A extends PartAction> = (typeof PART_START_STATES)[A][number];

export function mayStartPart<A extends PartAction>(action: A, state: CoPartState): state is PartStartState<A> {
  return (PART_START_STATES[action] as readonly CoPartState[]).includes(state);
}

/** Where a co-department's own actions take its part (the editor's hand-over decision: decidePart). */
export const PART_NEXT = { accept: 'accepted', answer: 'answered', decline: 'handover' } as const satisfies Record<
  Exclude<PartAction, 'handover'>,
  CoPartState
>;

export type PartDecision = { ok: true; to: CoPartState | 'ended' } | { ok: false; refused: 'actor' | 'state' | 'case_state' };

/**
 * Whether `by` may take `action` on a part in `from` while the case is in `caseState`, and where the part goes:
 * a confirmed hand-over ends the part (`ended`; the named department may get a part of its own), one sent back
 * returns it to the state it was declined from.
 */
export function decidePart(
  action: PartAction,
  by: CaseActor,
  caseState: CaseState,
  from: CoPartState,
  choice: { confirm?: boolean; declinedFrom?: CoPartState } = {},
): PartDecision {
  if (PART_ACTION_ACTOR[action] !== by) return { ok: false, refused: 'actor' };
  if (!PART_CASE_STATES.includes(caseState)) return { ok: false, refused: 'case_state' };
  if (!mayStartPart(action, from)) return { ok: false, refused: 'state' };
  if (action !== 'handover') return { ok: true, to: PART_NEXT[action] };
  if (choice.confirm) return { ok: true, to: 'ended' };
  if (!choice.declinedFrom || !mayStartPart('decline', choice.declinedFrom)) {
    throw new Error(`a part's hand-over sent back needs the state declined from, got ${String(choice.declinedFrom)}`);
  }
  return { ok: true, to: choice.declinedFrom };
}

// ── deadlines ──

/** The deadline each clocked state runs against (the case's, or a part's in the same state). */
export const CLOCKED_DEADLINE = { assigned: 'acceptDueAt', accepted: 'answerDueAt' } as const;
export type ClockedState = keyof typeof CLOCKED_DEADLINE;

/** Working days to answer a case of this type (a case stored without one counts as a consultation). */
export const answerDays = (deadlines: WenzhengSettings['deadlines'], type: CaseType | undefined): number =>
  deadlines[type ?? 'consultation'];

/** Done by the deadline (no deadline: never on time). */
export const onTime = (dueAt: Date | undefined, at: Date): boolean => !!dueAt && at.getTime() <= dueAt.getTime();

/** Reminders go out for deadlines up to this instant. */
export const remindUntil = (now: Date, remindBeforeHours: number): Date => new Date(now.getTime() + remindBeforeHours * 3600_000);

/** Due after now but within the reminder window. */
export const dueSoon = (dueAt: Date, now: Date, remindBy: Date): boolean =>
  dueAt.getTime() > now.getTime() && dueAt.getTime() <= remindBy.getTime();

/** Past its deadline. */
export const isLate = (dueAt: Date, now: Date): boolean => dueAt.getTime() < now.getTime();

/** A citizen may ask once for a case to be worked again, after rating the answer unsatisfying. */
export const mayReopen = (c: { reopenCount: number; rating?: { satisfied: boolean } }): boolean =>
  c.reopenCount === 0 && c.rating?.satisfied === false;
