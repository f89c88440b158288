/**
 * A stored case as a caller sees it (CaseView): what each access (staff, copied leader, poster, follower,
 * public) is shown of the timeline, images, people and internal steps; and pages of such views.
 */
import type { QueryFilter } from 'mongoose';
import {
  CASE_EVENT_LABELS,
  CASE_STATE_LABELS,
  type CaseEventType,
  type CaseEventView,
  type CaseView,
  type CoPartView,
} from '@shared/schemas/wenzheng';
import type { Actor } from '../../core/auth';
import { pageByIdDesc } from '../../core/db';
import type { StorageService } from '../storage';
import { accessOf, isEditor, isPoster, isPropaganda, type Access } from './access';
import { mayReopen, mayStart } from './case-rules';
import { coOf, partsOf, suggestedOf } from './case-fields';
import { publicPosterName } from './event-authors';
import { departments } from './reference-data';
import { CaseModel, type CaseDoc } from './wenzheng.model';

/** Internal steps the public timeline leaves out. */
const STAFF_ONLY_EVENTS: ReadonlySet<CaseEventType> = new Set([
  'reminded',
  'visibility',
  'extension_requested',
  'handover_refused',
  'co_handover_refused',
]);

export type CaseViews = ReturnType<typeof createViews>;

export function createViews(storage: Pick<StorageService, 'images'>) {
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
        mine: isPoster(actor, doc),
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
        canReopen: access === 'poster' && mayStart('reopen', doc.state) && mayReopen(doc),
        mergedInto: doc.mergedInto?.toHexString() ?? null,
        rejectReason: posterSide ? (doc.rejectReason ?? null) : null,
        followers: doc.followers.length,
        timeline,
        createdAt: doc.createdAt.toISOString(),
        updatedAt: doc.updatedAt.toISOString(),
      };
    });
  }

  /** The case as `actor` sees it after acting on it. */
  async function viewFor(actor: Actor | null, doc: CaseDoc): Promise<CaseView> {
    const access = await accessOf(actor, doc);
    // Whoever just acted may see the result of it even when no longer allowed to (a hand-over confirmed away).
    return (await toViews([doc], actor, [access ?? 'public']))[0]!;
  }

  /** A page of cases, newest first, each seen with the access `access` gives it. */
  async function page(filter: QueryFilter<CaseDoc>, limit: number, actor: Actor | null, access: (doc: CaseDoc) => Promise<Access>) {
    const { docs, nextCursor } = await pageByIdDesc(CaseModel, filter, { limit });
    const accesses = await Promise.all(docs.map(access));
    return { items: await toViews(docs, actor, accesses), nextCursor };
  }

  return { toViews, viewFor, page };
}
