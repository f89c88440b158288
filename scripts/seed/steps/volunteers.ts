import type { CreateActivityBody } from '@shared/schemas/volunteers';
import type { RoleHolder } from '../../../server/src/core/auth';
import { DAY_MS, shanghaiDay, shanghaiDayStart } from '../../../server/src/core/time';
import { checkInSecret, dynamicCode, slotOf } from '../../../server/src/modules/volunteers';
import { buildServices } from '../../../server/src/services';
import { COUNTY, personName } from '../county';
import { ensureCitizen } from '../people';
import type { SeedStep } from '../types';

const TEAMS = [
  {
    name: `${COUNTY.name}城关文明实践志愿服务队`,
    area: '城关街道',
    description: '新时代文明实践站常驻队伍：敬老助残、文明劝导、社区环境整治。',
  },
  { name: '青溪河守护志愿队', area: '青溪镇', description: '巡河护河、垃圾清理、防溺水宣传。' },
  { name: '白石镇应急救援志愿队', area: '白石镇', description: '防汛抢险、森林防火巡查、急救培训。' },
  { name: '龙潭红马甲助学队', area: '龙潭镇', description: '留守儿童陪伴、周末课堂、假期托管。' },
] as const;

/** Places with coordinates (gcj02) for the geofence. */
const PLACES = {
  square: { placeName: '县文化广场', geofence: { lat: 31.7312, lng: 104.9436, radiusM: 300 } },
  river: { placeName: '青溪河滨河步道（竹林村段）', geofence: { lat: 31.7581, lng: 104.9702, radiusM: 500 } },
  home: { placeName: '县社会福利院', geofence: { lat: 31.7268, lng: 104.9381, radiusM: 200 } },
} as const;

const seedOpenid = (i: number) => `oSEED${String(300 + i).padStart(23, '0')}`;
/** 00:00 Asia/Shanghai of the day `days` from today, as UTC. */
function shanghaiMidnight(now: Date, days: number): Date {
  return new Date(shanghaiDayStart(shanghaiDay(now)).getTime() + days * DAY_MS);
}
const at = (day: Date, hour: number) => new Date(day.getTime() + hour * 3600_000).toISOString();

/**
 * Volunteer teams in the county's towns with leaders and members, upcoming activities (public and
 * team-only, with geofences) and one finished activity whose hours were checked in, out and confirmed
 * through the real service (so records, certificates and volunteer points exist). Idempotent: teams by
 * name, activities by team + title, sign-ups/check-ins/confirmation are idempotent themselves.
 */
export const volunteersSeed: SeedStep = {
  name: 'volunteers',
  async run({ deps, services, log }) {
    const { volunteers } = services;

    const people: string[] = [];
    for (let i = 0; i < 16; i++) {
      people.push(
        await ensureCitizen({ services }, seedOpenid(i), { nickname: personName(40 + i), district: COUNTY.towns[i % COUNTY.towns.length] }),
      );
    }

    const teamIds: string[] = [];
    for (const [i, def] of TEAMS.entries()) {
      const team = await volunteers.ensureTeam({ ...def });
      teamIds.push(team.id);
      const leaderId = people[i] as string;
      await volunteers.appointLeader(null, team.id, leaderId);
      // Three members a team (the leader's neighbours in the list).
      for (let k = 1; k <= 3; k++) await volunteers.admit(null, team.id, people[(4 + i * 3 + k) % people.length] as string);
    }
    log(`${TEAMS.length} teams with leaders and members`);

    const now = deps.clock.now();
    const leaderOf = (i: number): RoleHolder => ({
      id: people[i] as string,
      roles: [{ role: 'team_leader', scope: { type: 'team', id: teamIds[i] as string } }],
    });
    const upcoming: Array<{ team: number; body: Omit<CreateActivityBody, 'teamId'> }> = [
      {
        team: 0,
        body: {
          title: '文化广场文明劝导（周末）',
          description: '劝导不文明行为，发放文明出行宣传单。着红马甲，佩戴工作证。',
          ...PLACES.square,
          startAt: at(shanghaiMidnight(now, 3), 9),
          endAt: at(shanghaiMidnight(now, 3), 12),
          capacity: 20,
          signUpDeadline: at(shanghaiMidnight(now, 2), 20),
          audience: 'public',
          points: { mode: 'per_hour', perHour: 10 },
          checkInOpensMinutesBefore: 30,
        },
      },
      {
        team: 1,
        body: {
          title: '青溪河巡河捡拾垃圾',
          description: '沿滨河步道清理垃圾，请自带手套。',
          ...PLACES.river,
          startAt: at(shanghaiMidnight(now, 5), 8.5),
          endAt: at(shanghaiMidnight(now, 5), 11),
          capacity: 30,
          signUpDeadline: at(shanghaiMidnight(now, 4), 20),
          audience: 'public',
          points: { mode: 'fixed', amount: 20 },
          checkInOpensMinutesBefore: 30,
        },
      },
      {
        team: 0,
        body: {
          title: '福利院陪伴老人包饺子（队内）',
          description: '队内活动，和老人一起包饺子、聊天。',
          ...PLACES.home,
          startAt: at(shanghaiMidnight(now, 7), 14),
          endAt: at(shanghaiMidnight(now, 7), 17),
          capacity: 8,
          signUpDeadline: at(shanghaiMidnight(now, 6), 18),
          audience: 'team',
          points: { mode: 'per_hour', perHour: 10 },
          checkInOpensMinutesBefore: 60,
        },
      },
    ];
    for (const a of upcoming) await volunteers.ensureActivity(leaderOf(a.team), { ...a.body, teamId: teamIds[a.team] as string });

    // A finished activity, run through the services on a clock set in the past (built for it, as another
    // process would be): sign-up, check-in with the rotating code inside the geofence, check-out,
    // confirmation (points through the ledger, once).
    const day = shanghaiMidnight(now, -7);
    let pastNow = new Date(day.getTime() + 7 * 3600_000);
    const inThePast = buildServices({ ...deps, clock: { now: () => pastNow } });
    const past = inThePast.volunteers;
    try {
      const activity = await past.ensureActivity(leaderOf(0), {
        teamId: teamIds[0] as string,
        title: '社区环境整治志愿服务',
        description: '清理文昌社区背街小巷卫生死角。',
        ...PLACES.square,
        startAt: at(day, 9),
        endAt: at(day, 11),
        capacity: 10,
        signUpDeadline: at(day, 8),
        audience: 'public',
        points: { mode: 'per_hour', perHour: 10 },
        checkInOpensMinutesBefore: 30,
      });
      const secret = checkInSecret(deps.config.jwtSecret);
      const attendees = [4, 5, 6, 7, 8].map((i) => people[i] as string);
      const near = { lat: PLACES.square.geofence.lat + 0.0003, lng: PLACES.square.geofence.lng };
      for (const [k, userId] of attendees.entries()) {
        pastNow = new Date(day.getTime() + 7 * 3600_000);
        await past.signUp(userId, activity.id);
        pastNow = new Date(day.getTime() + (8.6 + k * 0.1) * 3600_000);
        await past.checkIn(userId, activity.id, { code: dynamicCode(secret, activity.id, slotOf(pastNow)), location: near });
        pastNow = new Date(day.getTime() + (10.5 + k * 0.2) * 3600_000);
        await past.checkOut(userId, activity.id, { code: dynamicCode(secret, activity.id, slotOf(pastNow)), location: near });
      }
      pastNow = new Date(day.getTime() + 12 * 3600_000);
      const confirmed = await past.confirm(leaderOf(0), activity.id);
      log(
        `${upcoming.length} upcoming activities; one finished activity with ${attendees.length} volunteers (${confirmed.confirmed.length} newly confirmed)`,
      );
    } finally {
      await inThePast.close();
    }
  },
};
