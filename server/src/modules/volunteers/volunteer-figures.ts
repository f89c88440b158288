import type { Types } from 'mongoose';
import { cursorPages } from '../../core/db';
import { ActivityModel, SignupModel, TeamModel } from './volunteers.model';

export interface TeamHoursFigures {
  teamId: string;
  name: string;
  area: string;
  /** Service minutes of the check-outs on the day. */
  minutes: number;
  /** Distinct volunteers who checked out. */
  volunteers: number;
}

/** One volunteer's service on one activity: a row of the volunteer-hours export. */
export interface VolunteerHoursRow {
  checkOutAt: Date;
  checkInAt: Date | null;
  userId: string;
  team: string;
  activity: string;
  minutes: number;
  confirmed: boolean;
}

type SignupRow = {
  _id: Types.ObjectId;
  activityId: Types.ObjectId;
  userId: Types.ObjectId;
  minutes?: number;
  checkInAt?: Date;
  checkOutAt: Date;
  confirmedAt?: Date;
};

/** Figures and export rows for the stats module: read through the volunteers service, never its model. */
export function createVolunteerFigures() {
  async function activitiesOf(ids: Types.ObjectId[]) {
    const acts = await ActivityModel.find({ _id: { $in: ids } }, { teamId: 1, title: 1 }).lean<
      { _id: Types.ObjectId; teamId: Types.ObjectId; title: string }[]
    >();
    return new Map(acts.map((a) => [a._id.toHexString(), a]));
  }
  async function teamsOf(ids: Types.ObjectId[]) {
    const teams = await TeamModel.find({ _id: { $in: ids } }, { name: 1, area: 1 }).lean<
      { _id: Types.ObjectId; name: string; area: string }[]
    >();
    return new Map(teams.map((t) => [t._id.toHexString(), t]));
  }

  return {
    /** Per team: minutes served by the volunteers who checked out in [start, end). */
    async dailyTeamHours(start: Date, end: Date): Promise<TeamHoursFigures[]> {
      const signups = await SignupModel.find(
        { checkOutAt: { $gte: start, $lt: end }, minutes: { $gt: 0 } },
        { activityId: 1, userId: 1, minutes: 1 },
      ).lean<SignupRow[]>();
      const acts = await activitiesOf(signups.map((s) => s.activityId));
      const teams = await teamsOf([...acts.values()].map((a) => a.teamId));
      const byTeam = new Map<string, { minutes: number; users: Set<string> }>();
      for (const s of signups) {
        const act = acts.get(s.activityId.toHexString());
        if (!act) continue;
        const key = act.teamId.toHexString();
        const row = byTeam.get(key) ?? { minutes: 0, users: new Set<string>() };
        row.minutes += s.minutes ?? 0;
        row.users.add(s.userId.toHexString());
        byTeam.set(key, row);
      }
      return [...byTeam].map(([teamId, r]) => ({
        teamId,
        name: teams.get(teamId)?.name ?? '',
        area: teams.get(teamId)?.area ?? '',
        minutes: r.minutes,
        volunteers: r.users.size,
      }));
    },

    /**
     * Every check-out in [from, to), oldest first, read with a cursor in pages of `batch`: the export streams
     * them without holding a year of sign-ups in memory.
     */
    async *volunteerHoursRows(from: Date, to: Date, batch = 500): AsyncGenerator<VolunteerHoursRow[]> {
      const cursor = SignupModel.find({ checkOutAt: { $gte: from, $lt: to } })
        .sort({ _id: 1 })
        .lean<SignupRow[]>()
        .cursor({ batchSize: batch });
      yield* cursorPages(cursor as AsyncIterable<SignupRow>, batch, async (page) => {
        const acts = await activitiesOf(page.map((s) => s.activityId));
        const teams = await teamsOf([...acts.values()].map((a) => a.teamId));
        return page.map((s) => {
          const act = acts.get(s.activityId.toHexString());
          return {
            checkOutAt: s.checkOutAt,
            checkInAt: s.checkInAt ?? null,
            userId: s.userId.toHexString(),
            team: act ? (teams.get(act.teamId.toHexString())?.name ?? '') : '',
            activity: act?.title ?? '',
            minutes: s.minutes ?? 0,
            confirmed: !!s.confirmedAt,
          };
        });
      });
    },
  };
}
