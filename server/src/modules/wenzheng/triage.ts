/**
 * Triage and routing: the editor rejects a case, merges a duplicate, routes it (to a department, through a
 * grid, or as an internal report to the propaganda department) and decides whether it is public; the
 * propaganda department assigns its internal reports.
 */
import type { AssignBody, CaseView, ForwardBody } from '@shared/schemas/wenzheng';
import { authorize, type Actor } from '../../core/auth';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { greatCircleMetres } from '../../core/geo';
import { actingOn, isPropaganda } from './access';
import { MERGE_TARGET_STATES, OPEN_STATES, START_STATES, mayStart, nextState } from './case-rules';
import { coCodes, freshClock, freshParts, suggestedOf } from './case-fields';
import { mustFind, stateConflict, step } from './case-store';
import { CENTRE } from './event-authors';
import type { WenzhengParts } from './parts';
import { dueIn, mustDepartment, propagandaName, settings } from './reference-data';
import { CaseModel, type CaseDoc } from './wenzheng.model';

export function createTriage({ clock, mutate, notify, views, byOf, leaders: { leadersOf } }: WenzhengParts) {
  const { toViews, viewFor } = views;

  return {
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
        state: { $in: OPEN_STATES },
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

    async reject(actor: Actor, id: string, reason: string): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const by = await byOf(actor, CENTRE);
      const { doc } = await mutate(actingOn(actor, 'reject'), id, 'reject', START_STATES.reject, (d) => {
        const to = nextState('reject', d.state);
        return { to, set: { rejectReason: reason }, events: [step(d, to, { type: 'rejected', by, note: reason, noteAudience: 'poster' })] };
      });
      await notify.followers(doc, '未受理', reason);
      return viewFor(actor, doc);
    },

    /** A duplicate of an open case nearby: its posters follow the surviving case, and both posters hear of it. */
    async merge(actor: Actor, id: string, targetId: string, note?: string): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      if (id === targetId) throw new AppError('WENZHENG_MERGE_INVALID', { message: '不能合并到自身' });
      const target = await mustFind(targetId);
      if (!OPEN_STATES.includes(target.state)) throw new AppError('WENZHENG_MERGE_INVALID', { details: { targetState: target.state } });
      const { nearbyMeters } = await settings();
      const by = await byOf(actor, CENTRE);
      const { doc } = await mutate(actingOn(actor, 'merge'), id, 'merge', START_STATES.merge, (d) => {
        if (d.place && target.place) {
          const distance = Math.round(greatCircleMetres(d.place, target.place));
          if (distance > nearbyMeters)
            throw new AppError('WENZHENG_MERGE_INVALID', {
              message: `两处相距 ${distance} 米，超过 ${nearbyMeters} 米，不能作为重复问题合并`,
              details: { distanceMeters: distance, nearbyMeters },
            });
        }
        const to = nextState('merge', d.state);
        return {
          to,
          set: { mergedInto: target._id },
          events: [step(d, to, { type: 'merged', by, note, noteAudience: 'poster', data: { into: targetId } })],
        };
      });
      const merged = await mutate(actingOn(actor, 'merge'), targetId, 'merge', MERGE_TARGET_STATES, () => ({
        events: [{ type: 'merged_in', by, noteAudience: 'public', data: { from: id } }],
        addFollowers: doc.followers,
      }));
      // Both posters (and everyone already following either case) hear of it.
      await notify.followers(merged.doc, '已合并', '相同问题已合并办理');
      return viewFor(actor, doc);
    },

    /** The editor's routing decision: tier, department(s), case type, and whether it goes on the public board. */
    async forward(actor: Actor, id: string, body: ForwardBody): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const current = await mustFind(id);
      if (!mayStart('forward', current.state)) throw stateConflict(current.state, 'forward');
      if (body.publish && current.visibility === 'private') throw new AppError('WENZHENG_PRIVATE_CASE');
      if (body.tier === 'grid' && !body.gridId) throw new AppError('WENZHENG_GRID_REQUIRED');
      const s = await settings();
      const by = await byOf(actor, CENTRE);
      for (const code of body.coDepartments) await mustDepartment(code);
      const gate = actingOn(actor, 'forward');
      if (body.tier === 'propaganda') {
        // The co-departments named are a suggestion to the propaganda department, not participants yet.
        const suggested = coCodes(body.coDepartments, undefined);
        const { doc } = await mutate(gate, id, 'forward', START_STATES.forward, (d) => {
          const to = nextState('forward', d.state, { tier: body.tier });
          return {
            to,
            set: { tier: 'propaganda', type: body.type, published: body.publish, coDepartments: [], suggestedCoDepartments: suggested },
            events: [
              step(d, to, {
                type: 'reported',
                by,
                note: body.note,
                data: { tier: 'propaganda', type: body.type, suggestedCoDepartments: suggested },
              }),
            ],
          };
        });
        await notify.propaganda(doc, '待交办');
        return viewFor(actor, doc);
      }
      const department = body.department ?? s.categoryDepartments[current.category];
      if (!department) throw new AppError('WENZHENG_NO_DEFAULT_DEPARTMENT', { details: { category: current.category } });
      await mustDepartment(department);
      const acceptDueAt = await dueIn(s.deadlines.accept, clock.now());
      const { doc } = await mutate(gate, id, 'forward', START_STATES.forward, (d) => {
        const to = nextState('forward', d.state, { tier: body.tier });
        return {
          to,
          set: {
            tier: body.tier,
            type: body.type,
            department,
            ...freshParts(coCodes(body.coDepartments, department), acceptDueAt),
            published: body.publish,
            acceptDueAt,
            ...(body.gridId ? { gridId: body.gridId } : {}),
            ...freshClock,
          },
          events: [
            step(d, to, {
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
        };
      });
      await notify.handlers(doc, '待受理', acceptDueAt);
      await notify.coDepartments(doc, doc.coDepartments, '待协办', acceptDueAt);
      await notify.followers(doc, '已转办');
      return viewFor(actor, doc);
    },

    /** The propaganda department assigns an internal report to department(s) and copies county leaders. */
    async assign(actor: Actor, id: string, body: AssignBody): Promise<CaseView> {
      if (!(await isPropaganda(actor))) authorize(actor, { role: 'admin' });
      const dept = await mustDepartment(body.department);
      for (const code of body.coDepartments ?? []) await mustDepartment(code);
      const s = await settings();
      const leaders = await leadersOf(body.copyLeaders);
      const by = await byOf(actor, await propagandaName());
      const acceptDueAt = await dueIn(s.deadlines.accept, clock.now());
      const { doc } = await mutate(actingOn(actor, 'assign'), id, 'assign', START_STATES.assign, async (d) => {
        // Not naming co-departments takes the editor's suggestion; naming none (`[]`) means none.
        const co = coCodes(body.coDepartments ?? suggestedOf(d), dept.code);
        if (!body.coDepartments) for (const code of co) await mustDepartment(code);
        const to = nextState('assign', d.state);
        return {
          to,
          set: {
            department: dept.code,
            ...freshParts(co, acceptDueAt),
            copiedLeaders: leaders.map((l) => l.name),
            copiedLeaderIds: leaders.map((l) => oid(l.id)),
            type: body.type ?? d.type ?? 'complex',
            acceptDueAt,
            ...freshClock,
          },
          events: [
            step(d, to, {
              type: 'assigned',
              by,
              note: body.note,
              data: { department: dept.code, coDepartments: co, copyLeaders: body.copyLeaders, acceptDueAt },
            }),
          ],
          unset: ['suggestedCoDepartments'],
        };
      });
      await notify.handlers(doc, '待受理', acceptDueAt);
      await notify.coDepartments(doc, doc.coDepartments, '待协办', acceptDueAt);
      await notify.leaderCopy(
        doc,
        leaders.map((l) => l.id),
        dept.name,
      );
      return viewFor(actor, doc);
    },

    async setVisibility(actor: Actor, id: string, publish: boolean): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const by = await byOf(actor, CENTRE);
      const { doc } = await mutate(actingOn(actor, 'visibility'), id, 'visibility', START_STATES.visibility, (d) => {
        if (publish && d.visibility === 'private') throw new AppError('WENZHENG_PRIVATE_CASE');
        if (d.published === publish) return null;
        return { set: { published: publish }, events: [{ type: 'visibility', by, data: { published: publish } }] };
      });
      return viewFor(actor, doc);
    },
  };
}
