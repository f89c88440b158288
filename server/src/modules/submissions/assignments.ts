/** 选题派发: editors hand a topic to a correspondent, who accepts or declines it and files a piece against it. */
import type { AssignmentView, ListAssignmentsQuery } from '@shared/schemas/newsroom';
import type { QueryFilter } from 'mongoose';
import { authorize } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import type { UsersService } from '../users';
import type { Actor } from './submission-store';
import { AssignmentModel, type AssignmentDoc } from './submissions.model';

export function toAssignmentView(doc: AssignmentDoc): AssignmentView {
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    brief: doc.brief,
    assigneeId: doc.assigneeId.toHexString(),
    assignedBy: doc.assignedBy.toHexString(),
    state: doc.state,
    submissionId: doc.submissionId?.toHexString() ?? null,
    dueAt: doc.dueAt?.toISOString() ?? null,
    createdAt: doc.createdAt.toISOString(),
  };
}

/** A piece may name an assignment only when it is the author's and they accepted it. */
export async function checkAssignment(actor: Actor, assignmentId: string | null | undefined): Promise<void> {
  if (!assignmentId) return;
  const a = await AssignmentModel.findById(assignmentId).lean<AssignmentDoc>();
  if (!a || a.assigneeId.toHexString() !== actor.id) throw new AppError('ASSIGNMENT_NOT_FOUND');
  if (a.state !== 'accepted' && a.state !== 'filed')
    throw new AppError('ASSIGNMENT_STATE_CONFLICT', { message: '请先接受选题', details: { state: a.state } });
}

export function createAssignments({ clock, users }: { clock: Clock; users: Pick<UsersService, 'getView'> }) {
  return {
    async assign(actor: Actor, input: { title: string; brief: string; assigneeId: string; dueAt?: string }): Promise<AssignmentView> {
      authorize(actor, { role: 'editor' });
      await users.getView(input.assigneeId);
      const doc = await AssignmentModel.create({
        title: input.title,
        brief: input.brief,
        assigneeId: oid(input.assigneeId),
        assignedBy: oid(actor.id),
        state: 'open',
        ...(input.dueAt ? { dueAt: new Date(input.dueAt) } : {}),
        createdAt: clock.now(),
      });
      return toAssignmentView(doc.toObject() as AssignmentDoc);
    },

    /**
     * Assignments newest first, a page at a time: the actor's own (`mine`), or for editors every one, by assignee,
     * by assigning editor and by state. Paged by `_id`, which grows with `createdAt` (both are set at creation).
     */
    async assignments(
      actor: Actor,
      mine: boolean,
      query: ListAssignmentsQuery,
    ): Promise<{ items: AssignmentView[]; nextCursor: string | null }> {
      if (!mine) authorize(actor, { role: 'editor' });
      const filter: QueryFilter<AssignmentDoc> = {};
      const assigneeId = mine ? actor.id : query.assigneeId;
      if (assigneeId) filter.assigneeId = oid(assigneeId);
      if (!mine && query.assignedBy) filter.assignedBy = oid(query.assignedBy);
      if (query.state) filter.state = { $in: query.state };
      const { docs, nextCursor } = await pageByIdDesc(AssignmentModel, filter, { cursor: query.cursor, limit: query.limit });
      return { items: docs.map(toAssignmentView), nextCursor };
    },

    async answerAssignment(actor: Actor, id: string, answer: 'accepted' | 'declined'): Promise<AssignmentView> {
      const doc = await AssignmentModel.findOneAndUpdate(
        { _id: id, assigneeId: oid(actor.id), state: 'open' },
        { $set: { state: answer } },
        { returnDocument: 'after', lean: true },
      );
      if (doc) return toAssignmentView(doc as AssignmentDoc);
      const current = await AssignmentModel.findById(id).lean<AssignmentDoc>();
      if (!current || current.assigneeId.toHexString() !== actor.id) throw new AppError('ASSIGNMENT_NOT_FOUND');
      throw new AppError('ASSIGNMENT_STATE_CONFLICT', { details: { state: current.state } });
    },
  };
}
