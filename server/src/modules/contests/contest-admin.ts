import type { ContestView, CreateContestBody, JurorView, ListContestsQuery } from '@shared/schemas/contests';
import type { QueryFilter } from 'mongoose';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { containsPattern, oid, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import type { UsersService } from '../users';
import { ContestModel, type ContestDoc } from './contests.model';
import { phaseConflict, roundIndexAt } from './contest-rules';
import { mustFindContest } from './contest-store';
import { toContestView } from './contest-views';
import type { VoteConfigs } from './vote-config';
import type { VoteGate } from './vote-gate';

export interface ContestAdminDeps {
  clock: Clock;
  users: Pick<UsersService, 'getView' | 'accountNames'>;
  gate: VoteGate;
  configs: VoteConfigs;
}

/** What an admin configures of a contest, as stored (cover and campaign only when given). */
function configOf(input: CreateContestBody) {
  return {
    title: input.title,
    description: input.description,
    ...(input.cover ? { cover: input.cover } : {}),
    ...(input.campaign ? { campaign: input.campaign } : {}),
    rounds: input.rounds.map((r) => ({ kind: r.kind, startsAt: new Date(r.startsAt) })),
    entryKinds: input.entryKinds,
    maxEntriesPerPerson: input.maxEntriesPerPerson,
    voting: input.voting,
    juryWeight: input.juryWeight,
    publicWeight: input.publicWeight,
    awards: input.awards,
    tieBreak: input.tieBreak ?? 'jury',
  };
}

/** A contest's configuration: created and listed, its schedule and rules changed before it starts, jurors appointed. */
export function createContestAdmin({ clock, users, gate, configs }: ContestAdminDeps) {
  return {
    toContestView: (doc: ContestDoc, now = clock.now()) => toContestView(doc, now),

    async create(actor: RoleHolder, input: CreateContestBody): Promise<ContestView> {
      authorize(actor, { role: 'admin' });
      const now = clock.now();
      const doc = await ContestModel.create({
        ...configOf(input),
        currentRound: -1,
        history: [],
        jurorIds: [],
        createdBy: oid(actor.id),
        createdAt: now,
        updatedAt: now,
      });
      // The tally exists (empty) from the start, so the vote gate can tell "no votes" from "Redis lost it".
      await gate.init(doc._id.toHexString());
      return toContestView(doc.toObject() as ContestDoc, now);
    },

    /**
     * Contests newest first, a page at a time; `q` matches the title; `status` by the clock: upcoming before the
     * first round, running until the results round (always the last) begins, ended from then on.
     */
    async list({ q, status, cursor, limit }: ListContestsQuery): Promise<{ items: ContestView[]; nextCursor: string | null }> {
      const now = clock.now();
      const resultsFrom = (startsAt: Record<string, Date>) => ({ rounds: { $elemMatch: { kind: 'results', startsAt } } });
      const byStatus: Record<NonNullable<ListContestsQuery['status']>, QueryFilter<ContestDoc>> = {
        upcoming: { 'rounds.0.startsAt': { $gt: now } },
        running: { 'rounds.0.startsAt': { $lte: now }, ...resultsFrom({ $gt: now }) },
        ended: resultsFrom({ $lte: now }),
      };
      const filter: QueryFilter<ContestDoc> = { ...(q ? { title: containsPattern(q) } : {}), ...(status ? byStatus[status] : {}) };
      const { docs, nextCursor } = await pageByIdDesc(ContestModel, filter, { cursor, limit });
      return { items: docs.map((d) => toContestView(d, now)), nextCursor };
    },

    async get(id: string): Promise<ContestView> {
      return toContestView(await mustFindContest(id), clock.now());
    },

    /**
     * Replaces the configuration of a contest that has not started (rounds and dates, entry modes, vote
     * limits, weights, tie-break, awards): nothing can depend on it yet. Jurors stay. Once the first round
     * has begun (by the clock or by the advance job) → CONTEST_PHASE_CLOSED.
     */
    async reconfigure(actor: RoleHolder, id: string, input: CreateContestBody): Promise<ContestView> {
      authorize(actor, { role: 'admin' });
      const now = clock.now();
      const current = await mustFindContest(id);
      if (current.currentRound !== -1 || roundIndexAt(current, now) !== -1) throw phaseConflict(current, now, '修改配置');
      const doc = await ContestModel.findOneAndUpdate(
        // Conditional on what was read: a concurrent edit or the advance job moving first makes this miss.
        { _id: current._id, currentRound: -1, updatedAt: current.updatedAt },
        {
          $set: { ...configOf(input), updatedAt: now },
          ...(!input.cover || !input.campaign
            ? { $unset: { ...(input.cover ? {} : { cover: 1 }), ...(input.campaign ? {} : { campaign: 1 }) } }
            : {}),
        },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw phaseConflict(await mustFindContest(id), clock.now(), '修改配置');
      await configs.changed(id);
      return toContestView(doc as ContestDoc, now);
    },

    /** The jurors by name, in appointment order, for the staff console (an account since removed keeps its id). */
    async jurors(actor: RoleHolder, id: string): Promise<{ items: JurorView[]; nextCursor: null }> {
      authorize(actor, { anyOf: ['editor', 'admin'] });
      const ids = (await mustFindContest(id)).jurorIds.map((j) => j.toHexString());
      const names = await users.accountNames(ids);
      return {
        items: ids.map((j) => ({
          id: j,
          nickname: names.get(j)?.nickname ?? `用户 ${j.slice(-6)}`,
          username: names.get(j)?.username ?? null,
        })),
        nextCursor: null,
      };
    },

    async appointJuror(actor: RoleHolder, id: string, userId: string): Promise<ContestView> {
      authorize(actor, { role: 'admin' });
      await users.getView(userId);
      const doc = await ContestModel.findByIdAndUpdate(
        id,
        { $addToSet: { jurorIds: oid(userId) }, $set: { updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('CONTEST_NOT_FOUND');
      await configs.changed(id);
      return toContestView(doc as ContestDoc, clock.now());
    },
  };
}
