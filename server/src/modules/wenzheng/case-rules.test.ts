import { CASE_STATES, CO_PART_STATES, type CaseState, type CoPartState } from '@shared/schemas/wenzheng';
import {
  answerDays,
  decide,
  decidePart,
  dueSoon,
  isLate,
  mayReopen,
  onTime,
  remindUntil,
  type CaseAction,
  type CaseActor,
  type PartAction,
} from './case-rules';

const ACTORS: readonly CaseActor[] = ['editor', 'propaganda', 'handler', 'co_department', 'poster', 'system'];

/**
 * Every legal transition of a case, written out by hand: `action by actor: from → to`. Whatever is not here is
 * refused — for the wrong actor ('actor') before the state is looked at ('state').
 */
const CASE_TRANSITIONS = `
  reject by editor: pending → rejected
  merge by editor: pending → merged
  forward by editor: pending → assigned
  assign by propaganda: reported → assigned
  accept by handler: assigned → accepted
  answer by handler: accepted → answered
  extension by handler: accepted → accepted
  decide_extension by editor: accepted → accepted
  decline by handler: assigned → handover
  decline by handler: accepted → handover
  handover by editor: handover → assigned
  rate by poster: answered → closed
  reopen by poster: closed → accepted
  visibility by editor: reported → reported
  visibility by editor: assigned → assigned
  visibility by editor: handover → handover
  visibility by editor: accepted → accepted
  visibility by editor: answered → answered
  visibility by editor: closed → closed
  clock by system: assigned → assigned
  clock by system: accepted → accepted
`;
const ACTIONS: readonly CaseAction[] = [
  'reject',
  'merge',
  'forward',
  'assign',
  'accept',
  'answer',
  'extension',
  'decide_extension',
  'decline',
  'handover',
  'rate',
  'reopen',
  'visibility',
  'clock',
];

const legal = new Map<string, string>();
for (const line of CASE_TRANSITIONS.trim().split('\n')) {
  const m = /^(\w+) by (\w+): (\w+) → (\w+)$/.exec(line.trim());
  if (!m) throw new Error(`bad line: ${line}`);
  legal.set(`${m[1]}|${m[2]}|${m[3]}`, m[4]!);
}
const actorFor = (action: CaseAction) => [...legal.keys()].find((k) => k.startsWith(`${action}|`))!.split('|')[1];

describe('case transitions', () => {
  const cases = ACTIONS.flatMap((action) =>
    ACTORS.flatMap((by) => CASE_STATES.map((from) => [action, by, from] as [CaseAction, CaseActor, CaseState])),
  );

  it.each(cases)('%s by %s from %s', (action, by, from) => {
    const to = legal.get(`${action}|${by}|${from}`);
    const decision = decide(action, by, from, { confirm: true });
    if (to) expect(decision).toEqual({ ok: true, to });
    else expect(decision).toEqual({ ok: false, refused: actorFor(action) === by ? 'state' : 'actor' });
  });

  it('forwarding to the propaganda department reports the case instead of assigning it', () => {
    expect(decide('forward', 'editor', 'pending', { tier: 'propaganda' })).toEqual({ ok: true, to: 'reported' });
    expect(decide('forward', 'editor', 'pending', { tier: 'grid' })).toEqual({ ok: true, to: 'assigned' });
    expect(decide('forward', 'editor', 'pending', { tier: 'direct' })).toEqual({ ok: true, to: 'assigned' });
  });

  it('a hand-over sent back returns the case to the state it was declined from', () => {
    expect(decide('handover', 'editor', 'handover', { confirm: false, declinedFrom: 'assigned' })).toEqual({ ok: true, to: 'assigned' });
    expect(decide('handover', 'editor', 'handover', { confirm: false, declinedFrom: 'accepted' })).toEqual({ ok: true, to: 'accepted' });
    expect(() => decide('handover', 'editor', 'handover', { confirm: false })).toThrow(/declined from/);
    expect(() => decide('handover', 'editor', 'handover', { confirm: false, declinedFrom: 'closed' })).toThrow(/declined from/);
  });

  it('every action has exactly one actor and at least one start state', () => {
    for (const action of ACTIONS) {
      const keys = [...legal.keys()].filter((k) => k.startsWith(`${action}|`));
      expect(keys.length).toBeGreaterThan(0);
      expect(new Set(keys.map((k) => k.split('|')[1])).size).toBe(1);
    }
  });
});

/** Every legal transition of a co-department's part (`ended`: the part is handed on and leaves the case). */
const PART_TRANSITIONS = `
  accept by co_department: assigned → accepted
  answer by co_department: accepted → answered
  decline by co_department: assigned → handover
  decline by co_department: accepted → handover
  handover by editor: handover → ended
`;
const PART_ACTIONS: readonly PartAction[] = ['accept', 'answer', 'decline', 'handover'];
const PART_CASE_STATES: readonly CaseState[] = ['assigned', 'handover', 'accepted', 'answered'];

const partLegal = new Map<string, string>();
for (const line of PART_TRANSITIONS.trim().split('\n')) {
  const m = /^(\w+) by (\w+): (\w+) → (\w+)$/.exec(line.trim());
  if (!m) throw new Error(`bad line: ${line}`);
  partLegal.set(`${m[1]}|${m[2]}|${m[3]}`, m[4]!);
}

describe('co-department part transitions', () => {
  const cases = PART_ACTIONS.flatMap((action) =>
    ACTORS.flatMap((by) =>
      CASE_STATES.flatMap((caseState) =>
        CO_PART_STATES.map((from) => [action, by, caseState, from] as [PartAction, CaseActor, CaseState, CoPartState]),
      ),
    ),
  );

  it.each(cases)('%s by %s (case %s) from %s', (action, by, caseState, from) => {
    const to = partLegal.get(`${action}|${by}|${from}`);
    const rightActor = [...partLegal.keys()].some((k) => k.startsWith(`${action}|${by}|`));
    const decision = decidePart(action, by, caseState, from, { confirm: true });
    if (!rightActor) expect(decision).toEqual({ ok: false, refused: 'actor' });
    else if (!PART_CASE_STATES.includes(caseState)) expect(decision).toEqual({ ok: false, refused: 'case_state' });
    else if (!to) expect(decision).toEqual({ ok: false, refused: 'state' });
    else expect(decision).toEqual({ ok: true, to });
  });

  it("a part's hand-over sent back returns the part to the state it was declined from", () => {
    expect(decidePart('handover', 'editor', 'accepted', 'handover', { confirm: false, declinedFrom: 'assigned' })).toEqual({
      ok: true,
      to: 'assigned',
    });
    expect(decidePart('handover', 'editor', 'answered', 'handover', { confirm: false, declinedFrom: 'accepted' })).toEqual({
      ok: true,
      to: 'accepted',
    });
    expect(() => decidePart('handover', 'editor', 'accepted', 'handover', { confirm: false })).toThrow(/declined from/);
    expect(() => decidePart('handover', 'editor', 'accepted', 'handover', { confirm: false, declinedFrom: 'answered' })).toThrow(
      /declined from/,
    );
  });
});

describe('deadlines', () => {
  const now = new Date('2026-11-02T02:00:00Z');
  const plus = (ms: number) => new Date(now.getTime() + ms);

  it('answer days follow the case type; a case without one is a consultation', () => {
    const deadlines = { accept: 1, consultation: 2, complaint: 5, complex: 15 };
    expect(answerDays(deadlines, 'complaint')).toBe(5);
    expect(answerDays(deadlines, 'complex')).toBe(15);
    expect(answerDays(deadlines, undefined)).toBe(2);
  });

  it('on time means at or before the deadline; no deadline is never on time', () => {
    expect(onTime(now, now)).toBe(true);
    expect(onTime(plus(1), now)).toBe(true);
    expect(onTime(plus(-1), now)).toBe(false);
    expect(onTime(undefined, now)).toBe(false);
  });

  it('a reminder window of so many hours from now: due soon is inside it, after now', () => {
    const remindBy = remindUntil(now, 24);
    expect(remindBy.toISOString()).toBe('2026-11-03T02:00:00.000Z');
    expect(dueSoon(plus(1), now, remindBy)).toBe(true);
    expect(dueSoon(remindBy, now, remindBy)).toBe(true);
    expect(dueSoon(plus(24 * 3600_000 + 1), now, remindBy)).toBe(false);
    expect(dueSoon(now, now, remindBy)).toBe(false);
  });

  it('late is strictly past the deadline', () => {
    expect(isLate(plus(-1), now)).toBe(true);
    expect(isLate(now, now)).toBe(false);
    expect(isLate(plus(1), now)).toBe(false);
  });

  it('reopening: once, and only after an unsatisfied rating', () => {
    expect(mayReopen({ reopenCount: 0, rating: { satisfied: false } })).toBe(true);
    expect(mayReopen({ reopenCount: 1, rating: { satisfied: false } })).toBe(false);
    expect(mayReopen({ reopenCount: 0, rating: { satisfied: true } })).toBe(false);
    expect(mayReopen({ reopenCount: 0 })).toBe(false);
  });
});
