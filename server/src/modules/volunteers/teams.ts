import { Types } from 'mongoose';
import type { CreateTeamBody, TeamView, UpdateTeamBody } from '@shared/schemas/volunteers';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { containsPattern, isDuplicateKey, oid, pageByIdAsc } from '../../core/db';
import { AppError, isAppError } from '../../core/errors';
import type { UsersService } from '../users';
import { TeamModel, type TeamDoc } from './volunteers.model';
import { isTeamMember, mustFindTeam } from './volunteer-store';
import { toTeamView } from './volunteer-views';

/** Who runs a team's business: its leaders (admins pass every check). */
export const teamManager = (teamId: string) => ({ role: 'team_leader' as const, scope: { type: 'team' as const, id: teamId } });

export interface TeamsDeps {
  clock: Clock;
  users: Pick<UsersService, 'grantRole' | 'revokeRole' | 'publicProfiles'>;
}

/** Volunteer teams: listed and found, created and renamed, their leaders appointed and members admitted. */
export function createTeams({ clock, users }: TeamsDeps) {
  const teams = {
    /** Teams oldest first (by id: the order they were created in), a page at a time. */
    async listTeams(query: {
      area?: string;
      q?: string;
      cursor?: string;
      limit: number;
    }): Promise<{ items: TeamView[]; nextCursor: string | null }> {
      const filter: Record<string, unknown> = {};
      if (query.area) filter.area = query.area;
      if (query.q) filter.name = containsPattern(query.q);
      const { docs, nextCursor } = await pageByIdAsc(TeamModel, filter, { cursor: query.cursor, limit: query.limit });
      return { items: docs.map(toTeamView), nextCursor };
    },
    /** Team names by id (the audit log names the teams its role grants are scoped to). */
    async teamNames(ids: readonly string[]): Promise<Map<string, string>> {
      const valid = ids.filter((id) => Types.ObjectId.isValid(id));
      const docs = await TeamModel.find({ _id: { $in: valid } }, { name: 1 }).lean<Array<Pick<TeamDoc, '_id' | 'name'>>>();
      return new Map(docs.map((d) => [d._id.toHexString(), d.name]));
    },
    async getTeam(id: string): Promise<TeamView> {
      return toTeamView(await mustFindTeam(id));
    },
    async myTeams(userId: string): Promise<TeamView[]> {
      const u = oid(userId);
      return (
        await TeamModel.find({ $or: [{ memberIds: u }, { leaderIds: u }] })
          .sort({ createdAt: 1 })
          .lean<TeamDoc[]>()
      ).map(toTeamView);
    },
    /** Creates a team (admins); the same name twice is a conflict. */
    async createTeam(input: CreateTeamBody): Promise<TeamView> {
      const now = clock.now();
      try {
        const doc = await TeamModel.create({ ...input, leaderIds: [], memberIds: [], createdAt: now, updatedAt: now });
        return toTeamView(doc.toObject() as TeamDoc);
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('TEAM_NAME_TAKEN');
        throw err;
      }
    },
    /** The team of that name, created when missing (the seed relies on this). */
    async ensureTeam(input: CreateTeamBody): Promise<TeamView> {
      const existing = await TeamModel.findOne({ name: input.name }).lean<TeamDoc>();
      if (existing) return toTeamView(existing);
      try {
        return await teams.createTeam(input);
      } catch (err) {
        const doc = await TeamModel.findOne({ name: input.name }).lean<TeamDoc>();
        if (!doc) throw err;
        return toTeamView(doc);
      }
    },
    async updateTeam(actor: RoleHolder, id: string, patch: UpdateTeamBody): Promise<TeamView> {
      authorize(actor, teamManager(id));
      try {
        const doc = await TeamModel.findByIdAndUpdate(
          id,
          { $set: { ...patch, updatedAt: clock.now() } },
          { returnDocument: 'after', lean: true },
        );
        if (!doc) throw new AppError('TEAM_NOT_FOUND');
        return toTeamView(doc as TeamDoc);
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('TEAM_NAME_TAKEN');
        throw err;
      }
    },
    /** Appoints a leader (admins): the team_leader role scoped to this team, through the users service. */
    async appointLeader(actor: { id: string; requestId?: string } | null, teamId: string, userId: string): Promise<TeamView> {
      await mustFindTeam(teamId);
      await users.grantRole(actor, userId, { role: 'team_leader', scope: { type: 'team', id: teamId } });
      const doc = await TeamModel.findByIdAndUpdate(
        teamId,
        { $addToSet: { leaderIds: oid(userId) }, $set: { updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      return toTeamView(doc as TeamDoc);
    },
    /**
     * Dismisses a leader (admins): the scoped team_leader role is revoked through the users service (audited there
     * as role.revoke, as appointment is as role.grant) and the team forgets them. Idempotent, as circles' is.
     */
    async dismissLeader(actor: { id: string; requestId?: string } | null, teamId: string, userId: string): Promise<TeamView> {
      await mustFindTeam(teamId);
      try {
        await users.revokeRole(actor, userId, teamManager(teamId));
      } catch (err) {
        if (!(isAppError(err) && err.code === 'ROLE_NOT_HELD')) throw err;
      }
      const doc = await TeamModel.findByIdAndUpdate(
        teamId,
        { $pull: { leaderIds: oid(userId) }, $set: { updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('TEAM_NOT_FOUND');
      return toTeamView(doc as TeamDoc);
    },
    /** Makes a user a volunteer of the team: the scoped role (users service) and the member list. */
    async admit(actor: { id: string; requestId?: string } | null, teamId: string, userId: string): Promise<void> {
      await users.grantRole(actor, userId, { role: 'volunteer', scope: { type: 'team', id: teamId } });
      await TeamModel.updateOne({ _id: teamId }, { $addToSet: { memberIds: oid(userId) }, $set: { updatedAt: clock.now() } });
    },
    async members(actor: RoleHolder, teamId: string) {
      const team = await mustFindTeam(teamId);
      if (!(await isTeamMember(team._id, actor.id))) authorize(actor, teamManager(teamId));
      const leaderSet = new Set(team.leaderIds.map((id) => id.toHexString()));
      const ids = [...new Set([...team.leaderIds, ...team.memberIds].map((id) => id.toHexString()))];
      const profiles = await users.publicProfiles(ids);
      return ids.map((id) => ({
        id,
        nickname: profiles.get(id)?.nickname ?? '',
        avatarUrl: profiles.get(id)?.avatarUrl ?? null,
        leader: leaderSet.has(id),
      }));
    },
  };
  return teams;
}

export type Teams = ReturnType<typeof createTeams>;
