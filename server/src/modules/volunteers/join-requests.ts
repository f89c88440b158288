import type { DecideJoinBody, JoinRequestState, JoinRequestView } from '@shared/schemas/volunteers';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { UsersService } from '../users';
import { JoinRequestModel, type JoinRequestDoc } from './volunteers.model';
import { iso } from './volunteer-views';
import { isTeamMember, mustFindTeam } from './volunteer-store';
import { teamManager, type Teams } from './teams';

export interface JoinRequestsDeps {
  clock: Clock;
  users: Pick<UsersService, 'publicProfiles'>;
  teams: Pick<Teams, 'admit'>;
}

/** Requests to join a team: made by a user, listed to and decided once by that team's leaders. */
export function createJoinRequests({ clock, users, teams }: JoinRequestsDeps) {
  const requests = {
    async requestToJoin(userId: string, teamId: string, message: string): Promise<JoinRequestView> {
      const team = await mustFindTeam(teamId);
      if (await isTeamMember(team._id, userId)) throw new AppError('ALREADY_TEAM_MEMBER');
      try {
        const doc = await JoinRequestModel.create({
          teamId: team._id,
          userId: oid(userId),
          pendingKey: `${teamId}:${userId}`,
          message,
          state: 'pending',
          createdAt: clock.now(),
        });
        return (await requests.joinRequestViews([doc.toObject() as JoinRequestDoc]))[0] as JoinRequestView;
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('JOIN_REQUEST_PENDING');
        throw err;
      }
    },
    async joinRequestViews(docs: JoinRequestDoc[]): Promise<JoinRequestView[]> {
      const profiles = await users.publicProfiles(docs.map((d) => d.userId.toHexString()));
      return docs.map((d) => ({
        id: d._id.toHexString(),
        teamId: d.teamId.toHexString(),
        userId: d.userId.toHexString(),
        nickname: profiles.get(d.userId.toHexString())?.nickname ?? '',
        message: d.message,
        state: d.state,
        decidedBy: d.decidedBy?.toHexString() ?? null,
        decidedAt: iso(d.decidedAt),
        reason: d.reason ?? null,
        createdAt: d.createdAt.toISOString(),
      }));
    },
    async joinRequests(actor: RoleHolder, teamId: string, state: JoinRequestState): Promise<JoinRequestView[]> {
      authorize(actor, teamManager(teamId));
      const docs = await JoinRequestModel.find({ teamId: oid(teamId), state })
        .sort({ createdAt: 1 })
        .limit(200)
        .lean<JoinRequestDoc[]>();
      return requests.joinRequestViews(docs);
    },
    /** A leader of THAT team approves (→ volunteer role scoped to the team) or declines. Decided once. */
    async decideJoin(actor: RoleHolder & { requestId?: string }, requestId: string, input: DecideJoinBody): Promise<JoinRequestView> {
      const request = await JoinRequestModel.findById(requestId).lean<JoinRequestDoc>();
      if (!request) throw new AppError('JOIN_REQUEST_NOT_FOUND');
      authorize(actor, teamManager(request.teamId.toHexString()));
      const state = input.decision === 'approve' ? 'approved' : 'declined';
      const doc = await JoinRequestModel.findOneAndUpdate(
        { _id: request._id, state: 'pending' },
        {
          $set: { state, decidedBy: oid(actor.id), decidedAt: clock.now(), ...(input.reason ? { reason: input.reason } : {}) },
          $unset: { pendingKey: 1 },
        },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('JOIN_REQUEST_DECIDED', { details: { state: request.state } });
      if (state === 'approved') await teams.admit(actor, request.teamId.toHexString(), request.userId.toHexString());
      return (await requests.joinRequestViews([doc as JoinRequestDoc]))[0] as JoinRequestView;
    },
  };
  return requests;
}
