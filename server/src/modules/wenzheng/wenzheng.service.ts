import { Types, type QueryFilter } from 'mongoose';
import {
  CASE_EVENT_LABELS,
  CASE_SOURCE_LABELS,
  CASE_STATE_LABELS,
  type AssignBody,
  type BoardResponse,
  type CaseEventType,
  type CaseEventView,
  type CaseListQuery,
  type CaseState,
  type CaseView,
  type CoPartView,
  type DepartmentBody,
  type DepartmentHistoryResponse,
  type DepartmentView,
  type ForwardBody,
  type HolidayView,
  type IntakeCaseBody,
  type PostCaseBody,
  type RawEvent,
  type StaffQueueQuery,
  type WenzhengSettings,
} from '@shared/schemas/wenzheng';
import { authorize, can, type RoleHolder } from '../../core/auth';
import type { WenzhengTemplates } from '../../config';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { greatCircleMetres } from '../../core/geo';
import type { Locks } from '../../core/locks';
import type { Logger } from '../../core/logger';
import { DAY_MS, shanghaiHour } from '../../core/time';
import type { WechatClient } from '../../core/wechat';
import type { StorageService } from '../storage';
import type { checkContent as CheckContent, refuseRisky as RefuseRisky } from '../submissions';
import type { UsersService } from '../users';
import { computeBoard, type BoardEvent } from './boards';
import {
  ACTION_LABELS,
  MERGE_TARGET_STATES,
  NOT_PUBLIC_STATES as NOT_PUBLIC,
  OPEN_STATES as OPEN,
  PART_CASE_STATES,
  PART_OPEN_STATES as PART_OPEN,
  START_STATES as FROM,
  type CaseAction as Action,
} from './case-rules';
import {
  CaseModel,
  DepartmentModel,
  DigestModel,
  HolidayModel,
  SettingsModel,
  type CaseDoc,
  type CaseEventDoc,
  type CoPartDoc,
  type DepartmentDoc,
  type SettingsDoc,
} from './wenzheng.model';
import { addWorkingDays, localDate, localDateTime, monthStart, nextMonth, type Calendar } from './working-days';

const CASE_PAGE = 'subpackages/wenzheng/pages/case/index';

export interface WenzhengServiceDeps {
  clock: Clock;
  logger: Logger;
  wechat: Pick<WechatClient, 'msgSecCheck' | 'sendSubscribeMessage'>;
  users: Pick<UsersService, 'getView' | 'openidOf' | 'scopeMembers' | 'list'>;
  storage: Pick<StorageService, 'imagesOf' | 'images'>;
  /** The newsroom's content-safety pieces (text through msgSecCheck, images by their verdicts). */
  safety: { checkContent: typeof CheckContent; refuseRisky: typeof RefuseRisky };
  /**
   * Subscribe-message template ids (config `WENZHENG_TEMPLATE_*`): `progress` to the citizens following a
   * case, `task` to department staff (new case, reminder, overdue), `escalation` to heads and the propaganda
   * department, `digest` every morning, `leaderCopy` to county leaders a case is copied to.
   */
  templates: WenzhengTemplates;
  /** Redis locks: the digest catch-up runs in one process at a time. */
  locks: Locks;
}

export type Actor = RoleHolder;

export const DEFAULT_SETTINGS: WenzhengSettings = {
  deadlines: { accept: 1, consultation: 2, complaint: 5, complex: 15 },
  remindBeforeHours: 24,
  nearbyMeters: 1000,
  categoryDepartments: {},
};

/** Internal steps the public timeline leaves out. */
const STAFF_ONLY_EVENTS: ReadonlySet<CaseEventType> = new Set([
  'reminded',
  'visibility',
  'extension_requested',
  'handover_refused',
  'co_handover_refused',
]);
const ANONYMOUS_NAME = '匿名网友';
const CENTRE = '融媒体中心';
const SYSTEM = { id: null, name: '系统', label: '系统' } as const;

/** Who did something, for the event log: the person (staff eyes) and the public label. */
interface By {
  id: string | null;
  name: string;
  label: string;
}

interface NewEvent {
  type: CaseEventType;
  by: By;
  from?: CaseState;
  to?: CaseState;
  note?: string;
  noteAudience?: CaseEventDoc['noteAudience'];
  data?: Record<string, unknown>;
}

interface Mutation {
  to?: CaseState;
  events: NewEvent[];
  set?: Record<string, unknown>;
  unset?: string[];
  addFollowers?: Types.ObjectId[];
}

/** `leader`: a county leader the case was copied to (read-only, sees what staff see). */
type Access = 'staff' | 'leader' | 'poster' | 'follower' | 'public';

/** Cases stored before co-department parts and copied leader ids existed read as having none. */
const partsOf = (doc: Pick<CaseDoc, 'coParts'>): CoPartDoc[] => doc.coParts ?? [];
const leaderIdsOf = (doc: Pick<CaseDoc, 'copiedLeaderIds'>): Types.ObjectId[] => doc.copiedLeaderIds ?? [];
const escalatedAny = (doc: CaseDoc) => doc.escalated || partsOf(doc).some((p) => p.escalated);
const newPart = (department: string, acceptDueAt: Date): CoPartDoc => ({
  department,
  state: 'assigned',
  acceptDueAt,
  reminded: false,
  overdue: false,
  escalated: false,
});
/**
 * The co-departments taking part: none while the case is an internal report waiting for the propaganda
 * department (reports stored before suggestions had their own field kept them in `coDepartments`).
 */
const coOf = (doc: Pick<CaseDoc, 'state' | 'coDepartments'>): string[] => (doc.state === 'reported' ? [] : doc.coDepartments);
/** An internal report's suggested co-departments (the propaganda department's default when it assigns). */
const suggestedOf = (doc: Pick<CaseDoc, 'state' | 'coDepartments' | 'suggestedCoDepartments'>): string[] =>
  doc.state !== 'reported' ? [] : (doc.suggestedCoDepartments ?? doc.coDepartments);
/** The co-department codes for a lead (deduplicated, never the lead itself). */
const coCodes = (codes: readonly string[], lead: string | undefined) => [...new Set(codes)].filter((c) => c !== lead);

/** Subscribe-message `thing` values hold at most 20 characters. */
const thing = (s: string) => {
  const chars = [...s.replace(/\s+/g, ' ').trim()];
  return chars.length <= 20 ? chars.join('') : `${chars.slice(0, 19).join('')}…`;
};

export type WenzhengService = ReturnType<typeof createWenzhengService>;

export function createWenzhengService(deps: WenzhengServiceDeps) {
  const { clock, logger, wechat, users, storage, safety, templates, locks } = deps;

  // ── configuration ──

  async function settings(): Promise<WenzhengSettings> {
    const doc = await SettingsModel.findById('settings').lean<SettingsDoc>();
    if (!doc) return DEFAULT_SETTINGS;
    return {
      deadlines: { ...DEFAULT_SETTINGS.deadlines, ...doc.deadlines },
      remindBeforeHours: doc.remindBeforeHours,
      nearbyMeters: doc.nearbyMeters,
      categoryDepartments: doc.categoryDepartments ?? {},
    };
  }

  async function calendar(): Promise<Calendar> {
    const docs = await HolidayModel.find({}).lean();
    return new Map(docs.map((d) => [d.date, d.kind]));
  }

  async function departments(): Promise<Map<string, DepartmentDoc>> {
    const docs = await DepartmentModel.find({}).sort({ code: 1 }).lean<DepartmentDoc[]>();
    return new Map(docs.map((d) => [d.code, d]));
  }

  async function mustDepartment(code: string): Promise<DepartmentDoc> {
    const doc = await DepartmentModel.findOne({ code }).lean<DepartmentDoc>();
    if (!doc) throw new AppError('WENZHENG_DEPARTMENT_NOT_FOUND', { details: { code } });
    return doc;
  }

  async function propagandaCodes(): Promise<string[]> {
    const docs = await DepartmentModel.find({ propaganda: true }).lean<DepartmentDoc[]>();
    return docs.map((d) => d.code);
  }

  // ── who may do what ──

  const scopesOf = (actor: Actor, role: 'department_staff' | 'grid_leader') =>
    actor.roles.flatMap((g) => (g.role === role && g.scope ? [g.scope.id] : []));
  const isEditor = (actor: Actor | null) => can(actor, { role: 'editor' });
  /** Who may work a case as its lead at all: refused before the case is read, whatever the id. */
  const HANDLER_ROLES = { anyOf: ['department_staff', 'grid_leader'] } as const;

  /** Department staff of the case's department, or the grid's 三长 when it goes through a grid. */
  function isHandler(actor: Actor | null, doc: CaseDoc): boolean {
    if (!actor) return false;
    if (doc.department && can(actor, { role: 'department_staff', scope: { type: 'department', id: doc.department } })) return true;
    return doc.tier === 'grid' && !!doc.gridId && can(actor, { role: 'grid_leader', scope: { type: 'grid', id: doc.gridId } });
  }

  async function isPropaganda(actor: Actor | null): Promise<boolean> {
    if (!actor) return false;
    const mine = scopesOf(actor, 'department_staff');
    if (mine.length === 0) return false;
    return (await DepartmentModel.countDocuments({ code: { $in: mine }, propaganda: true })) > 0;
  }

  async function accessOf(actor: Actor | null, doc: CaseDoc): Promise<Access | null> {
    if (isEditor(actor) || isHandler(actor, doc)) return 'staff';
    if (actor && coOf(doc).some((c) => can(actor, { role: 'department_staff', scope: { type: 'department', id: c } }))) return 'staff';
    if ((doc.tier === 'propaganda' || escalatedAny(doc)) && (await isPropaganda(actor))) return 'staff';
    if (actor && can(actor, { role: 'county_leader', adminOverride: false }) && leaderIdsOf(doc).some((l) => l.toHexString() === actor.id))
      return 'leader';
    if (actor && doc.posterId?.toHexString() === actor.id) return 'poster';
    if (actor && doc.followers.some((f) => f.toHexString() === actor.id)) return 'follower';
    if (doc.published && !NOT_PUBLIC.includes(doc.state)) return 'public';
    return null;
  }

  async function byOf(actor: Actor, label: string): Promise<By> {
    return { id: actor.id, name: (await users.getView(actor.id)).nickname, label };
  }
  function handlerLabel(actor: Actor, doc: CaseDoc, depts: Map<string, DepartmentDoc>): string {
    if (
      doc.department &&
      can(actor, { role: 'department_staff', scope: { type: 'department', id: doc.department }, adminOverride: false })
    ) {
      return depts.get(doc.department)?.name ?? doc.department;
    }
    return doc.tier === 'grid' && !can(actor, { role: 'admin' }) ? '网格长' : CENTRE;
  }
  const publicPosterName = (doc: Pick<CaseDoc, 'anonymous' | 'posterName'>) => (doc.anonymous ? ANONYMOUS_NAME : doc.posterName);

  // ── reading ──

  async function mustFind(id: string): Promise<CaseDoc> {
    const doc = Types.ObjectId.isValid(id) ? await CaseModel.findById(id).lean<CaseDoc>() : null;
    if (!doc) throw new AppError('WENZHENG_CASE_NOT_FOUND');
    return doc;
  }

  /** A case the actor may see, else 404 (a private case's existence is not revealed). */
  async function visible(actor: Actor | null, id: string): Promise<{ doc: CaseDoc; access: Access }> {
    const doc = await mustFind(id);
    const access = await accessOf(actor, doc);
    if (!access) throw new AppError('WENZHENG_CASE_NOT_FOUND');
    return { doc, access };
  }

  /**
   * Who may act on a case, checked on every read of it inside `mutate` and BEFORE its state: a caller who
   * may not see the case gets exactly the 404 of a case that does not exist (no state, no details), and one
   * who sees it but may not do this gets a bare 403 (it learns nothing it could not read with GET). Only
   * then does the state decide (409 with `details.state`). Issue #16 item 3.
   */
  type Gate = (doc: CaseDoc) => Promise<void> | void;
  /** The clock's own transitions: no caller. */
  const asClock: Gate = () => undefined;
  function gate(actor: Actor, may?: (doc: CaseDoc) => boolean): Gate {
    return async (doc) => {
      if (!(await accessOf(actor, doc))) throw new AppError('WENZHENG_CASE_NOT_FOUND');
      if (may && !may(doc)) throw new AppError('FORBIDDEN');
    };
  }
  /** Anyone who sees the case (editors, its departments, …): the action's role was checked before. */
  const asViewer = (actor: Actor) => gate(actor);
  /** The case's lead department, or the grid's 三长 on a grid case (admins too). */
  const asHandler = (actor: Actor) => gate(actor, (d) => isHandler(actor, d) || can(actor, { role: 'admin' }));
  /** The citizen who asked (followers of a merged duplicate see the case but do not rate it). */
  const asPoster = (actor: Actor) => gate(actor, (d) => d.posterId?.toHexString() === actor.id);

  function stateConflict(state: CaseState, action: Action): AppError {
    return new AppError('WENZHENG_STATE_CONFLICT', {
      message: `事项当前状态为「${CASE_STATE_LABELS[state]}」，不能${ACTION_LABELS[action]}`,
      details: { state, action },
    });
  }

  /**
   * Once `who` lets the caller act (see Gate), applies `build`'s change in one conditional update on
   * (state, seq), appending its events with the next sequence numbers: a concurrent change makes the
   * condition fail, and we re-read and re-decide (a transition that is no longer legal answers 409 with the
   * state now). `build` returning null = nothing to do.
   */
  async function mutate(
    who: Gate,
    id: string,
    action: Action,
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

  /** One transition event (from the current state to `to`). */
  const step = (doc: CaseDoc, to: CaseState | undefined, e: Omit<NewEvent, 'from' | 'to'>): NewEvent => ({
    ...e,
    from: doc.state,
    ...(to ? { to } : {}),
  });

  // ── notifications (subscribe messages; a refused or failed send never fails the action) ──

  async function send(userIds: readonly string[], templateId: string, data: Record<string, string>, page: string): Promise<void> {
    for (const userId of new Set(userIds)) {
      try {
        const openid = await users.openidOf(userId);
        if (!openid) continue;
        await wechat.sendSubscribeMessage({ touser: openid, templateId, page, data });
      } catch (err) {
        logger.warn({ err, userId, templateId }, 'wenzheng subscribe message not sent');
      }
    }
  }
  const pageOf = (doc: CaseDoc) => `${CASE_PAGE}?id=${doc._id.toHexString()}`;

  async function notifyFollowers(doc: CaseDoc, status: string, note?: string): Promise<void> {
    const data: Record<string, string> = { thing1: thing(doc.title), phrase2: status, time3: localDateTime(clock.now()) };
    if (note) data.thing4 = thing(note);
    await send(
      doc.followers.map((f) => f.toHexString()),
      templates.progress,
      data,
      pageOf(doc),
    );
  }

  async function staffOf(type: 'department' | 'grid', id: string): Promise<string[]> {
    const role = type === 'department' ? 'department_staff' : 'grid_leader';
    const { members } = await users.scopeMembers({ type, id });
    return members.filter((m) => m.roles.includes(role)).map((m) => m.id);
  }

  async function handlersOf(doc: CaseDoc): Promise<string[]> {
    const ids = doc.department ? await staffOf('department', doc.department) : [];
    if (doc.tier === 'grid' && doc.gridId) ids.push(...(await staffOf('grid', doc.gridId)));
    return ids;
  }

  async function notifyHandlers(doc: CaseDoc, status: string, due: Date | undefined): Promise<void> {
    await send(
      await handlersOf(doc),
      templates.task,
      { thing1: thing(doc.title), phrase2: status, time3: localDateTime(due ?? clock.now()) },
      pageOf(doc),
    );
  }

  async function notifyPropaganda(doc: CaseDoc, status: string): Promise<void> {
    const ids = (await Promise.all((await propagandaCodes()).map((c) => staffOf('department', c)))).flat();
    await send(ids, templates.task, { thing1: thing(doc.title), phrase2: status, time3: localDateTime(clock.now()) }, pageOf(doc));
  }

  /** Each co-department's staff: a new part, a reminder, overdue. */
  async function notifyCo(doc: CaseDoc, codes: readonly string[], status: string, due?: Date): Promise<void> {
    for (const code of codes) {
      await send(
        await staffOf('department', code),
        templates.task,
        { thing1: thing(doc.title), phrase2: status, time3: localDateTime(due ?? clock.now()) },
        pageOf(doc),
      );
    }
  }

  /** County leaders by user id: each must hold the county_leader role. */
  async function leadersOf(ids: readonly string[]): Promise<{ id: string; name: string }[]> {
    const out: { id: string; name: string }[] = [];
    for (const id of new Set(ids)) {
      const view = await users.getView(id).catch((err: unknown) => {
        if (err instanceof AppError) return null;
        throw err;
      });
      if (!view?.roles.some((g) => g.role === 'county_leader')) {
        throw new AppError('WENZHENG_LEADER_NOT_FOUND', { details: { userId: id } });
      }
      out.push({ id, name: view.nickname });
    }
    return out;
  }

  // ── co-department parts ──

  function partOf(d: CaseDoc, code: string): CoPartDoc {
    const part = partsOf(d).find((p) => p.department === code);
    if (!part) throw new AppError('WENZHENG_NOT_CO_DEPARTMENT', { details: { department: code } });
    return part;
  }
  function partConflict(part: CoPartDoc, action: Action): AppError {
    return new AppError('WENZHENG_STATE_CONFLICT', {
      message: `协办部分当前状态为「${CASE_STATE_LABELS[part.state]}」，不能${ACTION_LABELS[action]}`,
      details: { state: part.state, action, department: part.department },
    });
  }
  /** The $set replacing one part (`next` null removes it), keeping `coDepartments` equal to the parts. */
  function withPart(d: CaseDoc, code: string, next: CoPartDoc | null, add: CoPartDoc[] = []) {
    const parts = [...partsOf(d).flatMap((p) => (p.department !== code ? [p] : next ? [next] : [])), ...add];
    return { coParts: parts, coDepartments: parts.map((p) => p.department) };
  }
  const deptName = (depts: Map<string, DepartmentDoc>, code: string) => depts.get(code)?.name ?? code;

  // ── views ──

  async function toViews(docs: CaseDoc[], actor: Actor | null, accesses: Access[]): Promise<CaseView[]> {
    const depts = await departments();
    const ref = (code: string) => ({ code, name: depts.get(code)?.name ?? code });
    const images = await storage.images([...new Set(docs.flatMap((d) => d.imageIds.map((i) => i.toHexString())))]);
    const imageById = new Map(images.map((i) => [i.id, i]));
    // Suggested co-departments: for the editor and the propaganda department only.
    const suggestionsFor =
      docs.some((d) => suggestedOf(d).length > 0) && (isEditor(actor) || (await isPropaganda(actor)))
        ? (doc: CaseDoc, staff: boolean) => (staff ? suggestedOf(doc).map(ref) : [])
        : () => [];
    return docs.map((doc, index) => {
      const access = accesses[index]!;
      const staff = access === 'staff' || access === 'leader';
      const posterSide = staff || access === 'poster';
      const timeline: CaseEventView[] = doc.events
        .filter((e) => staff || (access === 'poster' ? e.type !== 'reminded' : !STAFF_ONLY_EVENTS.has(e.type)))
        .map((e) => ({
          type: e.type,
          label: CASE_EVENT_LABELS[e.type],
          at: e.at.toISOString(),
          by: staff && e.byName !== e.byLabel ? `${e.byLabel}·${e.byName}` : e.byLabel,
          from: e.from ?? null,
          to: e.to ?? null,
          note: e.note && (staff || e.noteAudience === 'public' || (e.noteAudience === 'poster' && access === 'poster')) ? e.note : null,
        }));
      return {
        id: doc._id.toHexString(),
        state: doc.state,
        stateLabel: CASE_STATE_LABELS[doc.state],
        category: doc.category,
        title: doc.title,
        text: doc.text,
        images: doc.imageIds.flatMap((id) => {
          const image = imageById.get(id.toHexString());
          // Others see only images WeChat passed; the poster and staff see theirs until refused.
          if (!image || image.safety === 'risky' || (!posterSide && image.safety !== 'pass')) return [];
          return [{ id: image.id, url: image.url }];
        }),
        place: doc.place ? { lat: doc.place.lat, lng: doc.place.lng, address: doc.place.address } : null,
        visibility: doc.visibility,
        published: doc.published,
        anonymous: doc.anonymous,
        poster: posterSide ? { id: doc.posterId?.toHexString() ?? null, name: doc.posterName } : { id: null, name: publicPosterName(doc) },
        mine: !!actor && doc.posterId?.toHexString() === actor.id,
        source: doc.source,
        contact: staff ? { name: doc.contactName ?? null, phone: doc.contactPhone ?? null, sourceRef: doc.sourceRef ?? null } : null,
        flagged: staff ? doc.flagged : null,
        type: doc.type ?? null,
        tier: doc.tier ?? null,
        gridId: staff ? (doc.gridId ?? null) : null,
        department: doc.department ? ref(doc.department) : null,
        coDepartments: coOf(doc).map(ref),
        suggestedCoDepartments: suggestionsFor(doc, staff),
        coParts: partsOf(doc).map((p): CoPartView => ({
          department: ref(p.department),
          state: p.state,
          acceptDueAt: p.acceptDueAt?.toISOString() ?? null,
          answerDueAt: p.answerDueAt?.toISOString() ?? null,
          overdue: p.overdue,
          answer: p.answer ? { text: p.answer.text, at: p.answer.at.toISOString() } : null,
          handover: staff && p.handover ? { suggestedDepartment: ref(p.handover.suggestedDepartment), reason: p.handover.reason } : null,
        })),
        copiedLeaders: staff ? doc.copiedLeaders : [],
        acceptDueAt: doc.acceptDueAt?.toISOString() ?? null,
        answerDueAt: doc.answerDueAt?.toISOString() ?? null,
        overdue: doc.overdue,
        escalated: doc.escalated,
        extension: staff && doc.extension ? { days: doc.extension.days, reason: doc.extension.reason, status: doc.extension.status } : null,
        handover:
          staff && doc.handover ? { suggestedDepartment: ref(doc.handover.suggestedDepartment), reason: doc.handover.reason } : null,
        answer: doc.answer ? { text: doc.answer.text, at: doc.answer.at.toISOString(), department: ref(doc.answer.department) } : null,
        rating: doc.rating
          ? { satisfied: doc.rating.satisfied, comment: doc.rating.comment ?? null, at: doc.rating.at.toISOString() }
          : null,
        reopenCount: doc.reopenCount,
        canReopen: access === 'poster' && doc.state === 'closed' && doc.rating?.satisfied === false && doc.reopenCount === 0,
        mergedInto: doc.mergedInto?.toHexString() ?? null,
        rejectReason: posterSide ? (doc.rejectReason ?? null) : null,
        followers: doc.followers.length,
        timeline,
        createdAt: doc.createdAt.toISOString(),
        updatedAt: doc.updatedAt.toISOString(),
      };
    });
  }

  async function viewFor(actor: Actor | null, doc: CaseDoc): Promise<CaseView> {
    const access = await accessOf(actor, doc);
    // Whoever just acted may see the result of it even when no longer allowed to (a hand-over confirmed away).
    return (await toViews([doc], actor, [access ?? 'public']))[0]!;
  }

  async function page(filter: QueryFilter<CaseDoc>, limit: number, actor: Actor | null, access: (doc: CaseDoc) => Promise<Access>) {
    const docs = await CaseModel.find(filter)
      .sort({ _id: -1 })
      .limit(limit + 1)
      .lean<CaseDoc[]>();
    const items = docs.slice(0, limit);
    const accesses = await Promise.all(items.map(access));
    return {
      items: await toViews(items, actor, accesses),
      nextCursor: docs.length > limit ? (items.at(-1)?._id.toHexString() ?? null) : null,
    };
  }

  // ── deadlines ──

  async function dueIn(days: number, from: Date = clock.now()): Promise<Date> {
    return addWorkingDays(from, days, await calendar());
  }
  const freshClock = { reminded: false, overdue: false, escalated: false };

  const service = {
    DEFAULT_SETTINGS,

    // ── posting and intake ──

    /** A citizen asks. Text through WeChat's check (risky → refused; review → flagged for the editor). */
    async post(actor: Actor, body: PostCaseBody): Promise<CaseView> {
      const images = await storage.imagesOf(actor.id, body.imageIds);
      const verdict = await safety.checkContent(wechat, {
        openid: await users.openidOf(actor.id),
        title: body.title,
        content: body.text,
        images,
      });
      safety.refuseRisky(verdict);
      const name = (await users.getView(actor.id)).nickname;
      const now = clock.now();
      const event: CaseEventDoc = {
        seq: 0,
        type: 'posted',
        at: now,
        by: oid(actor.id),
        byName: name,
        byLabel: body.anonymous ? ANONYMOUS_NAME : name,
        to: 'pending',
        noteAudience: 'staff',
        data: { source: 'miniprogram', category: body.category, textSafety: verdict.textSafety },
      };
      const created = await CaseModel.create({
        posterId: oid(actor.id),
        posterName: name,
        anonymous: body.anonymous,
        followers: [oid(actor.id)],
        source: 'miniprogram',
        category: body.category,
        title: body.title,
        text: body.text,
        imageIds: body.imageIds.map(oid),
        ...(body.place ? { place: body.place } : {}),
        visibility: body.visibility,
        published: false,
        flagged: verdict.flagged || verdict.pendingImageIds.length > 0,
        state: 'pending',
        events: [event],
        createdAt: now,
        updatedAt: now,
      });
      return viewFor(actor, created.toObject() as CaseDoc);
    },

    /** Staff type in a case from the hotline, a mailbox, a tip-off, 12345…: the same queue, its source recorded. */
    async intake(actor: Actor, body: IntakeCaseBody): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      await storage.imagesOf(actor.id, body.imageIds);
      const by = await byOf(actor, CENTRE);
      const now = clock.now();
      const posterName = `${CASE_SOURCE_LABELS[body.source]}群众`;
      const created = await CaseModel.create({
        posterName,
        anonymous: body.anonymous,
        followers: [],
        source: body.source,
        ...(body.sourceRef ? { sourceRef: body.sourceRef } : {}),
        ...(body.contactName ? { contactName: body.contactName } : {}),
        ...(body.contactPhone ? { contactPhone: body.contactPhone } : {}),
        enteredBy: oid(actor.id),
        category: body.category,
        title: body.title,
        text: body.text,
        imageIds: body.imageIds.map(oid),
        ...(body.place ? { place: body.place } : {}),
        visibility: body.visibility,
        published: false,
        flagged: false,
        state: 'pending',
        events: [
          {
            seq: 0,
            type: 'intake',
            at: now,
            by: oid(actor.id),
            byName: by.name,
            byLabel: CASE_SOURCE_LABELS[body.source],
            to: 'pending',
            noteAudience: 'staff',
            data: { source: body.source, category: body.category },
          },
        ],
        createdAt: now,
        updatedAt: now,
      });
      return viewFor(actor, created.toObject() as CaseDoc);
    },

    // ── reading ──

    async get(actor: Actor | null, id: string): Promise<CaseView> {
      const { doc, access } = await visible(actor, id);
      return (await toViews([doc], actor, [access]))[0]!;
    },

    /** The public board: published cases past triage, newest first. */
    async list(actor: Actor | null, query: CaseListQuery) {
      const filter: QueryFilter<CaseDoc> = { published: true, state: query.state ?? { $nin: NOT_PUBLIC } };
      if (query.state && NOT_PUBLIC.includes(query.state)) return { items: [], nextCursor: null };
      if (query.category) filter.category = query.category;
      if (query.cursor) filter._id = { $lt: oid(query.cursor) };
      return page(filter, query.limit, actor, async (d) => (actor && d.posterId?.toHexString() === actor.id ? 'poster' : 'public'));
    },

    /** Cases the citizen posted or follows (merged duplicates). */
    async mine(actor: Actor, query: CaseListQuery) {
      const filter: QueryFilter<CaseDoc> = { followers: oid(actor.id) };
      if (query.state) filter.state = query.state;
      if (query.category) filter.category = query.category;
      if (query.cursor) filter._id = { $lt: oid(query.cursor) };
      return page(filter, query.limit, actor, async (d) => (d.posterId?.toHexString() === actor.id ? 'poster' : 'follower'));
    },

    /** The editors' queue: pending cases by default, or any state. */
    async triageQueue(actor: Actor, query: CaseListQuery) {
      authorize(actor, { role: 'editor' });
      const filter: QueryFilter<CaseDoc> = { state: query.state ?? 'pending' };
      if (query.category) filter.category = query.category;
      if (query.cursor) filter._id = { $lt: oid(query.cursor) };
      return page(filter, query.limit, actor, async () => 'staff');
    },

    /**
     * A department's queue: only cases of the departments (and grids) the actor works for; the
     * propaganda department also sees internal reports and escalated cases. Admins see every one.
     */
    async departmentQueue(actor: Actor, query: StaffQueueQuery) {
      authorize(actor, { anyOf: ['department_staff', 'grid_leader'] });
      const admin = can(actor, { role: 'admin' });
      let codes = scopesOf(actor, 'department_staff');
      if (query.department) {
        if (!admin && !codes.includes(query.department)) throw new AppError('FORBIDDEN');
        codes = [query.department];
      }
      const or: QueryFilter<CaseDoc>[] = [];
      // `overdue` asks about the actor's own clock: the lead's for a lead department, its part's for a co-department.
      const lead = query.overdue === undefined ? {} : { overdue: query.overdue };
      if (!admin || query.department) {
        or.push(
          { department: { $in: codes }, ...lead },
          query.overdue === undefined
            ? { coDepartments: { $in: codes }, state: { $ne: 'reported' } }
            : { coParts: { $elemMatch: { department: { $in: codes }, overdue: query.overdue } } },
        );
        const grids = query.department ? [] : scopesOf(actor, 'grid_leader');
        if (grids.length) or.push({ tier: 'grid', gridId: { $in: grids }, ...lead });
        const propaganda = await propagandaCodes();
        if (codes.some((c) => propaganda.includes(c))) {
          or.push({ tier: 'propaganda', ...lead }, { escalated: true, ...lead }, { coParts: { $elemMatch: { escalated: true, ...lead } } });
        }
      }
      const filter: QueryFilter<CaseDoc> = { state: query.state ?? { $nin: NOT_PUBLIC } };
      if (or.length) filter.$or = or;
      else if (query.overdue !== undefined)
        filter.$or = [{ overdue: query.overdue }, { coParts: { $elemMatch: { overdue: query.overdue } } }];
      if (query.category) filter.category = query.category;
      if (query.cursor) filter._id = { $lt: oid(query.cursor) };
      return page(filter, query.limit, actor, async () => 'staff');
    },

    /** Open cases near this one (for merging duplicates), nearest first. */
    async nearby(actor: Actor, id: string): Promise<CaseView[]> {
      authorize(actor, { role: 'editor' });
      const doc = await mustFind(id);
      if (!doc.place) return [];
      const { nearbyMeters } = await settings();
      const dLat = nearbyMeters / 111_000;
      const dLng = dLat / Math.max(Math.cos((doc.place.lat * Math.PI) / 180), 0.01);
      const candidates = await CaseModel.find({
        _id: { $ne: doc._id },
        state: { $in: OPEN },
        'place.lat': { $gte: doc.place.lat - dLat, $lte: doc.place.lat + dLat },
        'place.lng': { $gte: doc.place.lng - dLng, $lte: doc.place.lng + dLng },
      })
        .limit(50)
        .lean<CaseDoc[]>();
      const near = candidates
        .map((c) => ({ c, d: Math.round(greatCircleMetres(doc.place!, c.place!)) }))
        .filter((x) => x.d <= nearbyMeters)
        .sort((a, b) => a.d - b.d)
        .map((x) => x.c);
      return toViews(
        near,
        actor,
        near.map(() => 'staff'),
      );
    },

    // ── triage ──

    async reject(actor: Actor, id: string, reason: string): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const by = await byOf(actor, CENTRE);
      const { doc } = await mutate(asViewer(actor), id, 'reject', FROM.reject, (d) => ({
        to: 'rejected',
        set: { rejectReason: reason },
        events: [step(d, 'rejected', { type: 'rejected', by, note: reason, noteAudience: 'poster' })],
      }));
      await notifyFollowers(doc, '未受理', reason);
      return viewFor(actor, doc);
    },

    /** A duplicate of an open case nearby: its posters follow the surviving case, and both posters hear of it. */
    async merge(actor: Actor, id: string, targetId: string, note?: string): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      if (id === targetId) throw new AppError('WENZHENG_MERGE_INVALID', { message: '不能合并到自身' });
      const target = await mustFind(targetId);
      if (!OPEN.includes(target.state)) throw new AppError('WENZHENG_MERGE_INVALID', { details: { targetState: target.state } });
      const { nearbyMeters } = await settings();
      const by = await byOf(actor, CENTRE);
      const { doc } = await mutate(asViewer(actor), id, 'merge', FROM.merge, (d) => {
        if (d.place && target.place) {
          const distance = Math.round(greatCircleMetres(d.place, target.place));
          if (distance > nearbyMeters)
            throw new AppError('WENZHENG_MERGE_INVALID', {
              message: `两处相距 ${distance} 米，超过 ${nearbyMeters} 米，不能作为重复问题合并`,
              details: { distanceMeters: distance, nearbyMeters },
            });
        }
        return {
          to: 'merged',
          set: { mergedInto: target._id },
          events: [step(d, 'merged', { type: 'merged', by, note, noteAudience: 'poster', data: { into: targetId } })],
        };
      });
      const merged = await mutate(asViewer(actor), targetId, 'merge', MERGE_TARGET_STATES, () => ({
        events: [{ type: 'merged_in', by, noteAudience: 'public', data: { from: id } }],
        addFollowers: doc.followers,
      }));
      // Both posters (and everyone already following either case) hear of it.
      await notifyFollowers(merged.doc, '已合并', '相同问题已合并办理');
      return viewFor(actor, doc);
    },

    /** The editor's routing decision: tier, department(s), case type, and whether it goes on the public board. */
    async forward(actor: Actor, id: string, body: ForwardBody): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const current = await mustFind(id);
      if (!FROM.forward.includes(current.state)) throw stateConflict(current.state, 'forward');
      if (body.publish && current.visibility === 'private') throw new AppError('WENZHENG_PRIVATE_CASE');
      if (body.tier === 'grid' && !body.gridId) throw new AppError('WENZHENG_GRID_REQUIRED');
      const s = await settings();
      const by = await byOf(actor, CENTRE);
      for (const code of body.coDepartments) await mustDepartment(code);
      if (body.tier === 'propaganda') {
        // The co-departments named are a suggestion to the propaganda department, not participants yet.
        const suggested = coCodes(body.coDepartments, undefined);
        const { doc } = await mutate(asViewer(actor), id, 'forward', FROM.forward, (d) => ({
          to: 'reported',
          set: { tier: 'propaganda', type: body.type, published: body.publish, coDepartments: [], suggestedCoDepartments: suggested },
          events: [
            step(d, 'reported', {
              type: 'reported',
              by,
              note: body.note,
              data: { tier: 'propaganda', type: body.type, suggestedCoDepartments: suggested },
            }),
          ],
        }));
        await notifyPropaganda(doc, '待交办');
        return viewFor(actor, doc);
      }
      const department = body.department ?? s.categoryDepartments[current.category];
      if (!department) throw new AppError('WENZHENG_NO_DEFAULT_DEPARTMENT', { details: { category: current.category } });
      await mustDepartment(department);
      const acceptDueAt = await dueIn(s.deadlines.accept);
      const { doc } = await mutate(asViewer(actor), id, 'forward', FROM.forward, (d) => ({
        to: 'assigned',
        set: {
          tier: body.tier,
          type: body.type,
          department,
          ...withPart(
            { ...d, coParts: [] },
            '',
            null,
            coCodes(body.coDepartments, department).map((c) => newPart(c, acceptDueAt)),
          ),
          published: body.publish,
          acceptDueAt,
          ...(body.gridId ? { gridId: body.gridId } : {}),
          ...freshClock,
        },
        events: [
          step(d, 'assigned', {
            type: 'forwarded',
            by,
            note: body.note,
            data: {
              tier: body.tier,
              type: body.type,
              department,
              coDepartments: body.coDepartments,
              gridId: body.gridId ?? null,
              acceptDueAt,
            },
          }),
        ],
      }));
      await notifyHandlers(doc, '待受理', acceptDueAt);
      await notifyCo(doc, doc.coDepartments, '待协办', acceptDueAt);
      await notifyFollowers(doc, '已转办');
      return viewFor(actor, doc);
    },

    /** The propaganda department assigns an internal report to department(s) and copies county leaders. */
    async assign(actor: Actor, id: string, body: AssignBody): Promise<CaseView> {
      if (!(await isPropaganda(actor))) authorize(actor, { role: 'admin' });
      const dept = await mustDepartment(body.department);
      for (const code of body.coDepartments ?? []) await mustDepartment(code);
      const s = await settings();
      const leaders = await leadersOf(body.copyLeaders);
      const propagandaName = (await DepartmentModel.findOne({ propaganda: true }).lean<DepartmentDoc>())?.name ?? '宣传部';
      const by = await byOf(actor, propagandaName);
      const acceptDueAt = await dueIn(s.deadlines.accept);
      const { doc } = await mutate(asViewer(actor), id, 'assign', FROM.assign, async (d) => {
        // Not naming co-departments takes the editor's suggestion; naming none (`[]`) means none.
        const co = coCodes(body.coDepartments ?? suggestedOf(d), dept.code);
        if (!body.coDepartments) for (const code of co) await mustDepartment(code);
        return {
          to: 'assigned',
          set: {
            department: dept.code,
            ...withPart(
              { ...d, coParts: [] },
              '',
              null,
              co.map((c) => newPart(c, acceptDueAt)),
            ),
            copiedLeaders: leaders.map((l) => l.name),
            copiedLeaderIds: leaders.map((l) => oid(l.id)),
            type: body.type ?? d.type ?? 'complex',
            acceptDueAt,
            ...freshClock,
          },
          events: [
            step(d, 'assigned', {
              type: 'assigned',
              by,
              note: body.note,
              data: { department: dept.code, coDepartments: co, copyLeaders: body.copyLeaders, acceptDueAt },
            }),
          ],
          unset: ['suggestedCoDepartments'],
        };
      });
      await notifyHandlers(doc, '待受理', acceptDueAt);
      await notifyCo(doc, doc.coDepartments, '待协办', acceptDueAt);
      await send(
        leaders.map((l) => l.id),
        templates.leaderCopy,
        { thing1: thing(doc.title), thing2: thing(dept.name), phrase3: '抄送', time4: localDateTime(clock.now()) },
        pageOf(doc),
      );
      return viewFor(actor, doc);
    },

    async setVisibility(actor: Actor, id: string, publish: boolean): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const by = await byOf(actor, CENTRE);
      const { doc } = await mutate(asViewer(actor), id, 'visibility', FROM.visibility, (d) => {
        if (publish && d.visibility === 'private') throw new AppError('WENZHENG_PRIVATE_CASE');
        if (d.published === publish) return null;
        return { set: { published: publish }, events: [{ type: 'visibility', by, data: { published: publish } }] };
      });
      return viewFor(actor, doc);
    },

    // ── departments answer ──

    async accept(actor: Actor, id: string): Promise<CaseView> {
      authorize(actor, HANDLER_ROLES);
      const s = await settings();
      const depts = await departments();
      const { doc } = await mutate(asHandler(actor), id, 'accept', FROM.accept, async (d) => {
        const now = clock.now();
        const answerDueAt = await dueIn(s.deadlines[d.type ?? 'consultation'], now);
        return {
          to: 'accepted',
          set: { answerDueAt, ...freshClock },
          events: [
            step(d, 'accepted', {
              type: 'accepted',
              by: await byOf(actor, handlerLabel(actor, d, depts)),
              noteAudience: 'public',
              data: { department: d.department, answerDueAt, onTime: !!d.acceptDueAt && now.getTime() <= d.acceptDueAt.getTime() },
            }),
          ],
        };
      });
      await notifyFollowers(doc, '已受理');
      return viewFor(actor, doc);
    },

    async answer(actor: Actor, id: string, text: string): Promise<CaseView> {
      authorize(actor, HANDLER_ROLES);
      const depts = await departments();
      const { doc } = await mutate(asHandler(actor), id, 'answer', FROM.answer, async (d) => {
        const now = clock.now();
        return {
          to: 'answered',
          set: { answer: { text, at: now, department: d.department, by: oid(actor.id) } },
          events: [
            step(d, 'answered', {
              type: 'answered',
              by: await byOf(actor, handlerLabel(actor, d, depts)),
              note: text,
              noteAudience: 'public',
              data: {
                department: d.department,
                answerDueAt: d.answerDueAt ?? null,
                onTime: !!d.answerDueAt && now.getTime() <= d.answerDueAt.getTime(),
              },
            }),
          ],
        };
      });
      await notifyFollowers(doc, '已答复', text);
      return viewFor(actor, doc);
    },

    async requestExtension(actor: Actor, id: string, days: number, reason: string): Promise<CaseView> {
      authorize(actor, HANDLER_ROLES);
      const depts = await departments();
      const { doc } = await mutate(asHandler(actor), id, 'extension', FROM.extension, async (d) => {
        if (d.extension?.status === 'pending') throw new AppError('WENZHENG_EXTENSION_PENDING');
        return {
          set: { extension: { days, reason, status: 'pending' } },
          events: [
            {
              type: 'extension_requested',
              by: await byOf(actor, handlerLabel(actor, d, depts)),
              note: reason,
              data: { department: d.department, days },
            },
          ],
        };
      });
      return viewFor(actor, doc);
    },

    /** An editor approves (the answer deadline moves by the days asked, in working days) or denies an extension. */
    async decideExtension(actor: Actor, id: string, approve: boolean, note?: string): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const by = await byOf(actor, CENTRE);
      const cal = await calendar();
      const { doc } = await mutate(asViewer(actor), id, 'decide_extension', FROM.decide_extension, (d) => {
        if (d.extension?.status !== 'pending') throw new AppError('WENZHENG_NO_EXTENSION');
        const answerDueAt = approve && d.answerDueAt ? addWorkingDays(d.answerDueAt, d.extension.days, cal) : d.answerDueAt;
        return {
          set: {
            extension: { ...d.extension, status: approve ? 'approved' : 'denied' },
            ...(approve ? { answerDueAt, ...freshClock } : {}),
          },
          events: [
            {
              type: 'extension_decided',
              by,
              note,
              noteAudience: 'poster',
              data: { department: d.department, approved: approve, days: d.extension.days, answerDueAt: answerDueAt ?? null },
            },
          ],
        };
      });
      return viewFor(actor, doc);
    },

    /** "Not ours": the department names who should take it; the case waits for the editor to confirm. */
    async decline(actor: Actor, id: string, suggestedDepartment: string, reason: string): Promise<CaseView> {
      authorize(actor, HANDLER_ROLES);
      const depts = await departments();
      if (!depts.has(suggestedDepartment)) throw new AppError('WENZHENG_DEPARTMENT_NOT_FOUND', { details: { code: suggestedDepartment } });
      const { doc } = await mutate(asHandler(actor), id, 'decline', FROM.decline, async (d) => {
        if (d.department === suggestedDepartment) throw new AppError('WENZHENG_SAME_DEPARTMENT');
        return {
          to: 'handover',
          set: { handover: { suggestedDepartment, reason, fromState: d.state } },
          events: [
            step(d, 'handover', {
              type: 'declined',
              by: await byOf(actor, handlerLabel(actor, d, depts)),
              note: `${reason}（建议由${depts.get(suggestedDepartment)!.name}办理）`,
              noteAudience: 'poster',
              data: { department: d.department, suggestedDepartment },
            }),
          ],
        };
      });
      return viewFor(actor, doc);
    },

    // ── co-departments (协办): each works its own part; the lead's answer is the case's answer ──

    async coAccept(actor: Actor, id: string, code: string): Promise<CaseView> {
      authorize(actor, { role: 'department_staff', scope: { type: 'department', id: code } });
      const s = await settings();
      const depts = await departments();
      const { doc } = await mutate(asViewer(actor), id, 'accept', PART_CASE_STATES, async (d) => {
        const part = partOf(d, code);
        if (part.state !== 'assigned') throw partConflict(part, 'accept');
        const now = clock.now();
        const answerDueAt = await dueIn(s.deadlines[d.type ?? 'consultation'], now);
        return {
          set: withPart(d, code, { ...part, state: 'accepted', answerDueAt, ...freshClock }),
          events: [
            {
              type: 'co_accepted',
              by: await byOf(actor, deptName(depts, code)),
              noteAudience: 'public',
              data: { department: code, answerDueAt, onTime: !!part.acceptDueAt && now.getTime() <= part.acceptDueAt.getTime() },
            },
          ],
        };
      });
      return viewFor(actor, doc);
    },

    /** A co-department answers its part: on the public timeline, and the lead department hears of it. */
    async coAnswer(actor: Actor, id: string, code: string, text: string): Promise<CaseView> {
      authorize(actor, { role: 'department_staff', scope: { type: 'department', id: code } });
      const depts = await departments();
      const { doc } = await mutate(asViewer(actor), id, 'answer', PART_CASE_STATES, async (d) => {
        const part = partOf(d, code);
        if (part.state !== 'accepted') throw partConflict(part, 'answer');
        const now = clock.now();
        return {
          set: withPart(d, code, { ...part, state: 'answered', answer: { text, at: now, by: oid(actor.id) } }),
          events: [
            {
              type: 'co_answered',
              by: await byOf(actor, deptName(depts, code)),
              note: text,
              noteAudience: 'public',
              data: {
                department: code,
                answerDueAt: part.answerDueAt ?? null,
                onTime: !!part.answerDueAt && now.getTime() <= part.answerDueAt.getTime(),
              },
            },
          ],
        };
      });
      await notifyHandlers(doc, '协办已答复', undefined);
      return viewFor(actor, doc);
    },

    /** "Not our part": the co-department names who should take it; the editor confirms. */
    async coDecline(actor: Actor, id: string, code: string, suggestedDepartment: string, reason: string): Promise<CaseView> {
      authorize(actor, { role: 'department_staff', scope: { type: 'department', id: code } });
      const depts = await departments();
      if (!depts.has(suggestedDepartment)) throw new AppError('WENZHENG_DEPARTMENT_NOT_FOUND', { details: { code: suggestedDepartment } });
      if (suggestedDepartment === code) throw new AppError('WENZHENG_SAME_DEPARTMENT');
      const { doc } = await mutate(asViewer(actor), id, 'decline', PART_CASE_STATES, async (d) => {
        const part = partOf(d, code);
        if (part.state !== 'assigned' && part.state !== 'accepted') throw partConflict(part, 'decline');
        return {
          set: withPart(d, code, { ...part, state: 'handover', handover: { suggestedDepartment, reason, fromState: part.state } }),
          events: [
            {
              type: 'co_declined',
              by: await byOf(actor, deptName(depts, code)),
              note: `${reason}（建议由${deptName(depts, suggestedDepartment)}办理）`,
              noteAudience: 'poster',
              data: { department: code, suggestedDepartment },
            },
          ],
        };
      });
      return viewFor(actor, doc);
    },

    /**
     * The editor confirms a co-department's "not ours" (the named department — or another — gets a new part
     * with a fresh accept clock; none when it already works on the case) or sends it back.
     */
    async coHandover(
      actor: Actor,
      id: string,
      code: string,
      input: { confirm: boolean; department?: string; note?: string },
    ): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const by = await byOf(actor, CENTRE);
      if (input.department) await mustDepartment(input.department);
      const acceptDueAt = await dueIn((await settings()).deadlines.accept);
      let added: string | null = null;
      const { doc, applied } = await mutate(asViewer(actor), id, 'handover', PART_CASE_STATES, (d) => {
        const part = partOf(d, code);
        if (part.state !== 'handover' || !part.handover) throw partConflict(part, 'handover');
        if (!input.confirm) {
          const { handover: _dropped, ...rest } = part;
          return {
            set: withPart(d, code, { ...rest, state: part.handover.fromState }),
            events: [{ type: 'co_handover_refused', by, note: input.note, data: { department: code } }],
          };
        }
        const target = input.department ?? part.handover.suggestedDepartment;
        if (target === code) throw new AppError('WENZHENG_SAME_DEPARTMENT');
        // Already on the case (the lead, or another co-department): the part just ends.
        const already = target === d.department || partsOf(d).some((p) => p.department === target);
        added = already ? null : target;
        return {
          set: withPart(d, code, null, added ? [newPart(added, acceptDueAt)] : []),
          events: [
            {
              type: 'co_handover_confirmed',
              by,
              note: input.note,
              noteAudience: 'public',
              data: { from: code, department: added, acceptDueAt: added ? acceptDueAt : null },
            },
          ],
        };
      });
      if (applied && added) await notifyCo(doc, [added], '待协办', acceptDueAt);
      return viewFor(actor, doc);
    },

    // ── county leaders (抄送县领导) ──

    /** Leaders a case may be copied to (for the propaganda department, editors and admins). */
    async listLeaders(actor: Actor): Promise<{ id: string; name: string }[]> {
      if (!(await isPropaganda(actor))) authorize(actor, { role: 'editor' });
      const { items } = await users.list({ role: 'county_leader', limit: 50 });
      return items.map((u) => ({ id: u.id, name: u.nickname }));
    },

    /** The cases copied to this county leader (read-only), newest first. */
    async copiedToMe(actor: Actor, query: CaseListQuery) {
      authorize(actor, { role: 'county_leader', adminOverride: false });
      const filter: QueryFilter<CaseDoc> = { copiedLeaderIds: oid(actor.id) };
      if (query.state) filter.state = query.state;
      if (query.category) filter.category = query.category;
      if (query.cursor) filter._id = { $lt: oid(query.cursor) };
      return page(filter, query.limit, actor, async () => 'leader');
    },

    /** The editor confirms a hand-over (to the suggested or another department: a new accept clock) or sends it back. */
    async handover(actor: Actor, id: string, input: { confirm: boolean; department?: string; note?: string }): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const by = await byOf(actor, CENTRE);
      const s = await settings();
      if (input.department) await mustDepartment(input.department);
      const acceptDueAt = await dueIn(s.deadlines.accept);
      const { doc, applied } = await mutate(asViewer(actor), id, 'handover', FROM.handover, (d) => {
        const from = d.handover!;
        if (!input.confirm) {
          return {
            to: from.fromState,
            unset: ['handover'],
            events: [step(d, from.fromState, { type: 'handover_refused', by, note: input.note, data: { department: d.department } })],
          };
        }
        const department = input.department ?? from.suggestedDepartment;
        if (department === d.department) throw new AppError('WENZHENG_SAME_DEPARTMENT');
        return {
          to: 'assigned',
          unset: ['handover', 'answerDueAt', 'extension'],
          set: { department, ...withPart(d, department, null), acceptDueAt, ...freshClock },
          events: [
            step(d, 'assigned', {
              type: 'handover_confirmed',
              by,
              note: input.note,
              noteAudience: 'public',
              data: { from: d.department, department, acceptDueAt },
            }),
          ],
        };
      });
      if (applied && input.confirm) await notifyHandlers(doc, '待受理', acceptDueAt);
      return viewFor(actor, doc);
    },

    // ── the citizen closes the loop ──

    async rate(actor: Actor, id: string, satisfied: boolean, comment?: string): Promise<CaseView> {
      const { doc } = await mutate(asPoster(actor), id, 'rate', FROM.rate, (d) => {
        const now = clock.now();
        return {
          to: 'closed',
          set: { rating: { satisfied, at: now, ...(comment ? { comment } : {}) } },
          events: [
            step(d, 'closed', {
              type: 'rated',
              by: { id: actor.id, name: d.posterName, label: publicPosterName(d) },
              note: comment,
              noteAudience: 'public',
              data: { department: d.department, satisfied },
            }),
          ],
        };
      });
      return viewFor(actor, doc);
    },

    /** Once, after an unsatisfied rating: back to the department with a fresh answer deadline. */
    async reopen(actor: Actor, id: string, reason: string): Promise<CaseView> {
      const s = await settings();
      const { doc } = await mutate(asPoster(actor), id, 'reopen', FROM.reopen, async (d) => {
        if (d.reopenCount > 0 || d.rating?.satisfied !== false) throw new AppError('WENZHENG_REOPEN_USED');
        const answerDueAt = await dueIn(s.deadlines[d.type ?? 'consultation']);
        return {
          to: 'accepted',
          set: { reopenCount: d.reopenCount + 1, answerDueAt, ...freshClock },
          unset: ['rating', 'extension', 'answer'],
          events: [
            step(d, 'accepted', {
              type: 'reopened',
              by: { id: actor.id, name: d.posterName, label: publicPosterName(d) },
              note: reason,
              noteAudience: 'public',
              data: { department: d.department, answerDueAt },
            }),
          ],
        };
      });
      await notifyHandlers(doc, '重新办理', doc.answerDueAt);
      return viewFor(actor, doc);
    },

    // ── events and boards ──

    /** Raw events (staff): of one case, or of every case given to a department in a month. */
    async rawEvents(actor: Actor, query: { month?: string; caseId?: string }): Promise<RawEvent[]> {
      authorize(actor, { role: 'editor' });
      const docs = query.caseId ? [await mustFind(query.caseId)] : await casesAssignedIn(query.month ?? localDate(clock.now()).slice(0, 7));
      return docs.flatMap((d) =>
        d.events.map((e) => ({
          caseId: d._id.toHexString(),
          seq: e.seq,
          type: e.type,
          at: e.at.toISOString(),
          by: e.by?.toHexString() ?? null,
          from: e.from ?? null,
          to: e.to ?? null,
          data: JSON.parse(JSON.stringify(e.data ?? {})) as Record<string, unknown>,
        })),
      );
    },

    /** The month's board and public ranking, computed from the case events alone. */
    async board(month: string): Promise<BoardResponse> {
      const docs = await casesAssignedIn(month);
      const events: BoardEvent[] = docs.flatMap((d) =>
        d.events.map((e) => ({ caseId: d._id.toHexString(), seq: e.seq, type: e.type, at: e.at, data: e.data ?? {} })),
      );
      const depts = [...(await departments()).values()].filter((d) => !d.propaganda);
      return { month, rows: computeBoard(events, month, depts) };
    },

    /** One department's board rows for the last `months` local months (this month first). */
    async departmentHistory(code: string, months: number): Promise<DepartmentHistoryResponse> {
      const dept = await mustDepartment(code);
      const list: string[] = [];
      let month = localDate(clock.now()).slice(0, 7);
      for (let i = 0; i < months; i += 1) {
        list.push(month);
        const [y, m] = month.split('-').map(Number) as [number, number];
        month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
      }
      const rows = [];
      for (const mo of list) {
        const { rows: board } = await service.board(mo);
        const row = board.find((r) => r.department.code === code);
        if (row) rows.push({ month: mo, row });
      }
      return { department: { code: dept.code, name: dept.name }, months: rows };
    },

    // ── the clock ──

    /**
     * One pass of the clock (the wenzheng-clock job): reminders before deadlines, overdue marks with their
     * escalation, and the daily digest. Decisions come from the cases' state and deadlines, not from which
     * slots ran, so a pass after downtime catches up; every mark is a conditional update, so two
     * processes running passes at once notify once.
     */
    async tick(now: Date = clock.now()): Promise<{ reminded: number; overdue: number; digest: boolean; digests: string[] }> {
      const s = await settings();
      const remindBy = new Date(now.getTime() + s.remindBeforeHours * 3600_000);
      let reminded = 0;
      let overdue = 0;
      for (const [state, field] of [
        ['assigned', 'acceptDueAt'],
        ['accepted', 'answerDueAt'],
      ] as const) {
        const soon = await CaseModel.find({ state, reminded: false, overdue: false, [field]: { $gt: now, $lte: remindBy } })
          .limit(500)
          .lean<CaseDoc[]>();
        for (const c of soon) {
          const { doc, applied } = await mutate(asClock, c._id.toHexString(), 'clock', [state], (d) =>
            d.reminded || d.overdue || !d[field] || d[field].getTime() !== c[field]!.getTime()
              ? null
              : {
                  set: { reminded: true },
                  events: [{ type: 'reminded', by: SYSTEM, data: { department: d.department, deadline: field, dueAt: d[field] } }],
                },
          ).catch(ignoreConflict);
          if (applied) {
            reminded += 1;
            await notifyHandlers(doc, '即将到期', doc[field]);
          }
        }
        const late = await CaseModel.find({ state, overdue: false, [field]: { $lt: now } })
          .limit(500)
          .lean<CaseDoc[]>();
        for (const c of late) {
          const heads = c.department
            ? ((await DepartmentModel.findOne({ code: c.department }).lean<DepartmentDoc>())?.headUserIds ?? [])
            : [];
          const propaganda = await propagandaCodes();
          const { doc, applied } = await mutate(asClock, c._id.toHexString(), 'clock', [state], (d) =>
            d.overdue || !d[field] || d[field].getTime() >= now.getTime()
              ? null
              : {
                  set: { overdue: true, escalated: true },
                  events: [
                    {
                      type: 'overdue',
                      by: SYSTEM,
                      noteAudience: 'public',
                      data: { department: d.department, deadline: field, dueAt: d[field] },
                    },
                    {
                      type: 'escalated',
                      by: SYSTEM,
                      data: { department: d.department, heads: heads.map((h) => h.toHexString()), propaganda },
                    },
                  ],
                },
          ).catch(ignoreConflict);
          if (applied) {
            overdue += 1;
            await notifyHandlers(doc, '已超期', doc[field]);
            const deptName = (await DepartmentModel.findOne({ code: doc.department }).lean<DepartmentDoc>())?.name ?? doc.department ?? '';
            const escalateTo = [
              ...heads.map((h) => h.toHexString()),
              ...(await Promise.all(propaganda.map((p) => staffOf('department', p)))).flat(),
            ];
            await send(
              escalateTo,
              templates.escalation,
              { thing1: thing(doc.title), thing2: thing(deptName), phrase3: '已超期', time4: localDateTime(doc[field]!) },
              pageOf(doc),
            );
          }
        }
      }
      const parts = await tickParts(now, remindBy);
      reminded += parts.reminded;
      overdue += parts.overdue;
      const digests = await sendDigests(now);
      return { reminded, overdue, digest: digests.length > 0, digests };
    },

    // ── admin: departments, settings, holidays ──

    async listDepartments(actor: Actor | null): Promise<DepartmentView[]> {
      const admin = can(actor, { role: 'admin' });
      return [...(await departments()).values()].map((d) => ({
        code: d.code,
        name: d.name,
        propaganda: d.propaganda,
        ...(admin ? { headUserIds: d.headUserIds.map((h) => h.toHexString()) } : {}),
      }));
    },

    async saveDepartment(actor: Actor | null, code: string, body: DepartmentBody): Promise<DepartmentView> {
      if (actor) authorize(actor, { role: 'admin' });
      const doc = await DepartmentModel.findOneAndUpdate(
        { code },
        { $set: { name: body.name, headUserIds: body.headUserIds.map(oid), propaganda: body.propaganda, updatedAt: clock.now() } },
        { upsert: true, returnDocument: 'after', lean: true },
      );
      const d = doc as DepartmentDoc;
      return { code: d.code, name: d.name, propaganda: d.propaganda, headUserIds: d.headUserIds.map((h) => h.toHexString()) };
    },

    /** `actor` null: the system (seed, jobs). */
    async getSettings(actor: Actor | null): Promise<WenzhengSettings> {
      if (actor) authorize(actor, { anyOf: ['editor', 'admin'] });
      return settings();
    },

    async updateSettings(actor: Actor | null, patch: Partial<WenzhengSettings>): Promise<WenzhengSettings> {
      if (actor) authorize(actor, { role: 'admin' });
      for (const code of Object.values(patch.categoryDepartments ?? {})) if (code) await mustDepartment(code);
      const next = { ...(await settings()), ...patch };
      await SettingsModel.updateOne({ _id: 'settings' }, { $set: { ...next, updatedAt: clock.now() } }, { upsert: true });
      return next;
    },

    async listHolidays(year?: number): Promise<HolidayView[]> {
      const filter = year ? { date: { $gte: `${year}-01-01`, $lte: `${year}-12-31` } } : {};
      const docs = await HolidayModel.find(filter).sort({ date: 1 }).lean();
      return docs.map((d) => ({ date: d.date, kind: d.kind, name: d.name }));
    },

    async setHoliday(actor: Actor | null, date: string, kind: 'holiday' | 'workday', name: string): Promise<HolidayView> {
      if (actor) authorize(actor, { role: 'admin' });
      if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
        throw new AppError('VALIDATION_FAILED', { message: '日期无效', details: { date } });
      }
      await HolidayModel.updateOne({ date }, { $set: { kind, name } }, { upsert: true });
      return { date, kind, name };
    },

    async removeHoliday(actor: Actor, date: string): Promise<void> {
      authorize(actor, { role: 'admin' });
      const res = await HolidayModel.deleteOne({ date });
      if (res.deletedCount === 0) throw new AppError('NOT_FOUND');
    },
  };

  /** Cases with an assignment (forward, assign, hand-over, co hand-over) in the local month: the board's population. */
  async function casesAssignedIn(month: string): Promise<CaseDoc[]> {
    return CaseModel.find({
      events: {
        $elemMatch: {
          type: { $in: ['forwarded', 'assigned', 'handover_confirmed', 'co_handover_confirmed'] },
          at: { $gte: monthStart(month), $lt: monthStart(nextMonth(month)) },
        },
      },
    }).lean<CaseDoc[]>();
  }

  /**
   * The co-departments' clocks, like the lead's: a reminder before a part's deadline, then overdue with an
   * escalation to that department's heads and the propaganda department. One conditional update per part,
   * so concurrent passes notify once.
   */
  async function tickParts(now: Date, remindBy: Date): Promise<{ reminded: number; overdue: number }> {
    let reminded = 0;
    let overdue = 0;
    for (const [state, field] of [
      ['assigned', 'acceptDueAt'],
      ['accepted', 'answerDueAt'],
    ] as const) {
      for (const late of [false, true]) {
        const due = late ? { $lt: now } : { $gt: now, $lte: remindBy };
        const match = late ? { state, overdue: false, [field]: due } : { state, reminded: false, overdue: false, [field]: due };
        const cases = await CaseModel.find({ state: { $in: PART_CASE_STATES }, coParts: { $elemMatch: match } })
          .limit(500)
          .lean<CaseDoc[]>();
        for (const c of cases) {
          for (const p of partsOf(c)) {
            const at = p[field];
            if (p.state !== state || !at || p.overdue || (!late && p.reminded)) continue;
            if (late ? at.getTime() >= now.getTime() : at.getTime() <= now.getTime() || at.getTime() > remindBy.getTime()) continue;
            const heads = late ? ((await DepartmentModel.findOne({ code: p.department }).lean<DepartmentDoc>())?.headUserIds ?? []) : [];
            const propaganda = late ? await propagandaCodes() : [];
            const { doc, applied } = await mutate(asClock, c._id.toHexString(), 'clock', PART_CASE_STATES, (d) => {
              const now2 = partsOf(d).find((x) => x.department === p.department);
              const still = now2?.state === state && now2[field]?.getTime() === at.getTime() && !now2.overdue && (late || !now2.reminded);
              if (!now2 || !still) return null;
              const data = { department: p.department, part: 'co', deadline: field, dueAt: at };
              if (!late)
                return { set: withPart(d, p.department, { ...now2, reminded: true }), events: [{ type: 'reminded', by: SYSTEM, data }] };
              return {
                set: withPart(d, p.department, { ...now2, overdue: true, escalated: true }),
                events: [
                  { type: 'overdue', by: SYSTEM, noteAudience: 'public', data },
                  {
                    type: 'escalated',
                    by: SYSTEM,
                    data: { department: p.department, part: 'co', heads: heads.map((h) => h.toHexString()), propaganda },
                  },
                ],
              };
            }).catch(ignoreConflict);
            if (!applied) continue;
            if (!late) {
              reminded += 1;
              await notifyCo(doc, [p.department], '即将到期', at);
              continue;
            }
            overdue += 1;
            await notifyCo(doc, [p.department], '已超期', at);
            const name = (await DepartmentModel.findOne({ code: p.department }).lean<DepartmentDoc>())?.name ?? p.department;
            await send(
              [...heads.map((h) => h.toHexString()), ...(await Promise.all(propaganda.map((x) => staffOf('department', x)))).flat()],
              templates.escalation,
              { thing1: thing(doc.title), thing2: thing(name), phrase3: '已超期', time4: localDateTime(at) },
              pageOf(doc),
            );
          }
        }
      }
    }
    return { reminded, overdue };
  }

  /** Each department's open and overdue counts right now: its lead cases and its co-department parts. */
  async function digestCounts(): Promise<Map<string, { open: number; overdue: number }>> {
    const open = await CaseModel.find({ state: { $in: [...PART_CASE_STATES] } }, { state: 1, department: 1, overdue: 1, coParts: 1 }).lean<
      Pick<CaseDoc, 'state' | 'department' | 'overdue' | 'coParts'>[]
    >();
    const counts = new Map<string, { open: number; overdue: number }>();
    const count = (code: string, late: boolean) => {
      const n = counts.get(code) ?? { open: 0, overdue: 0 };
      n.open += 1;
      if (late) n.overdue += 1;
      counts.set(code, n);
    };
    for (const c of open) {
      if (c.department && c.state !== 'answered') count(c.department, c.overdue);
      for (const p of partsOf(c)) if (PART_OPEN.includes(p.state)) count(p.department, p.overdue);
    }
    return counts;
  }

  /** How many missed days a digest pass back-fills at most (older ones are recorded as skipped). */
  const DIGEST_CATCH_UP_DAYS = 7;

  /**
   * Once per local day from 08:00: each department's staff get their open and overdue counts. After
   * downtime the first pass back-fills every missed day since the last digest (at most a week, marked 补发,
   * with today's figures: the counts of a past morning are not kept). Each day is recorded once (unique
   * date) and the pass runs under a Redis lock, so concurrent schedulers send each day once.
   */
  async function sendDigests(now: Date): Promise<string[]> {
    const hour = shanghaiHour(now);
    const today = localDate(now);
    const lastDue = hour >= 8 ? today : localDate(new Date(now.getTime() - DAY_MS));
    const last = await DigestModel.findOne({}).sort({ date: -1 }).lean<{ date: string }>();
    if (last ? last.date >= lastDue : hour < 8) return [];
    // A fresh install starts with the latest due day; otherwise every day after the last one sent.
    const days: string[] = [];
    for (let d = last ? nextDay(last.date) : lastDue; d <= lastDue; d = nextDay(d)) days.push(d);
    const outcome = await locks.withLock('wenzheng:digest', 120_000, async () => {
      const sent: string[] = [];
      const counts = await digestCounts();
      for (const date of days) {
        const send_ = days.length - days.indexOf(date) <= DIGEST_CATCH_UP_DAYS;
        try {
          await DigestModel.create({ date, sentAt: now, departments: send_ ? counts.size : 0 });
        } catch (err) {
          if (isDuplicateKey(err)) continue;
          throw err;
        }
        if (!send_) continue;
        const catchUp = date !== today;
        for (const [code, n] of counts) {
          await send(
            await staffOf('department', code),
            templates.digest,
            { thing1: catchUp ? '问政每日提醒（补发）' : '问政每日提醒', number2: String(n.open), number3: String(n.overdue), date4: date },
            'subpackages/wenzheng/pages/queue/index',
          );
        }
        sent.push(date);
      }
      return sent;
    });
    return outcome.ran ? outcome.value : [];
  }

  return service;
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** The clock skips a case someone moved on meanwhile. */
function ignoreConflict(err: unknown): { doc: CaseDoc; applied: false } {
  if (err instanceof AppError && err.code === 'WENZHENG_STATE_CONFLICT') return { doc: null as unknown as CaseDoc, applied: false };
  throw err;
}
