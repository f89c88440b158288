/**
 * 5,000 volunteers checking in to one activity at once, through the real API (embedded MongoDB,
 * redis-server, every middleware: auth with the roles-version check, validation, the rotating HMAC code,
 * the window, the geofence, the conditional write) against a bare Koa server doing the same idempotent
 * write (parse the body, conditional update of the same kind of document, answer JSON) in the same run with
 * the same load from a child process (lib.ts runJobs): CONNECTIONS keep-alive connections, each taking the
 * next volunteer and the leader's current code when it sends. The volunteers go in BENCH_ROUNDS slices,
 * each checking in on ours and on the bare server in turn (lib.ts takeTurns: who goes first alternates), so
 * a change in the load of this shared machine falls on both sides alike; the figures combine the slices
 * (lib.ts combine: check-ins/s over all, median p99; cpu_ratio: bare ÷ ours CPU time per check-in).
 * Afterwards every volunteer scans again: the answers must be the same and no check-in may be written
 * twice. Ends with one line of key=value figures (rss_mb: the API process).
 * Usage: npm run bench -- checkin   (BENCH_VOLUNTEERS=5000, BENCH_ROUNDS=3, BENCH_CONNECTIONS=100)
 */
import Koa from 'koa';
import { Types } from 'mongoose';
import type { AppDeps } from '../../server/src/core/deps';
import type { Services } from '../../server/src/services';
import { UserModel } from '../../server/src/modules/users/users.model';
import { SignupModel, ActivityModel } from '../../server/src/modules/volunteers/volunteers.model';
import {
  ROUNDS,
  combine,
  cpuRatio,
  printComparison,
  ratio,
  runBench,
  runJobs,
  startBare,
  startBenchApi,
  summaryLine,
  takeTurns,
  type Bare,
  type Figures,
} from './lib';

const VOLUNTEERS = Number(process.env.BENCH_VOLUNTEERS ?? 5000);
const WARMUP = 500;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const PLACE = { lat: 26.8378, lng: 116.3252 };
const NEAR = { lat: PLACE.lat + 0.0004, lng: PLACE.lng + 0.0003 };

interface Cast {
  activityId: string;
  leaderToken: string;
  volunteers: Array<{ id: string; token: string }>;
}

/** One team, its leader, an activity under way with a geofence, and `n` volunteers signed up (inserted directly: setup, not measured). */
async function cast(deps: AppDeps, services: Services, n: number, label: string): Promise<Cast> {
  const now = deps.clock.now();
  const { accessTokens: tokens, volunteers } = services;
  const team = await volunteers.ensureTeam({ name: `签到压测队-${label}`, area: '旴江镇', description: '' });
  const leaderId = new Types.ObjectId();
  const leaderRoles = [{ role: 'team_leader' as const, scope: { type: 'team' as const, id: team.id } }];
  await UserModel.create({
    _id: leaderId,
    nickname: '压测队长',
    openid: `bench-leader-${label}-${leaderId.toHexString()}`,
    roles: [{ role: 'team_leader', scopeType: 'team', scopeId: team.id, grantedAt: now }],
    rolesVersion: 1,
    createdAt: now,
    updatedAt: now,
  });
  const leader = { id: leaderId.toHexString(), roles: leaderRoles };
  const activity = await volunteers.createActivity(leader, {
    teamId: team.id,
    title: `县城马拉松志愿服务（${label}）`,
    description: '',
    placeName: '县体育中心',
    geofence: { ...PLACE, radiusM: 300 },
    startAt: new Date(now.getTime() - 10 * 60_000).toISOString(),
    endAt: new Date(now.getTime() + 3 * 3600_000).toISOString(),
    capacity: n,
    signUpDeadline: new Date(now.getTime() - 10 * 60_000).toISOString(),
    audience: 'public',
    points: { mode: 'per_hour', perHour: 10 },
    checkInOpensMinutesBefore: 30,
  });
  const ids = Array.from({ length: n }, () => new Types.ObjectId());
  for (let i = 0; i < n; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await UserModel.insertMany(
      chunk.map((id, j) => ({
        _id: id,
        nickname: `志愿者${i + j + 1}`,
        openid: `bench-${label}-${id.toHexString()}`,
        roles: [],
        rolesVersion: 0,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await SignupModel.insertMany(
      chunk.map((id) => ({
        activityId: new Types.ObjectId(activity.id),
        userId: id,
        state: 'confirmed',
        queuedAt: now,
        corrections: [],
        pointsAwarded: 0,
        createdAt: now,
      })),
    );
  }
  await ActivityModel.updateOne({ _id: activity.id }, { $set: { seatsLeft: 0 } });
  return {
    activityId: activity.id,
    leaderToken: tokens.issue({ id: leader.id, roles: leaderRoles, rolesVersion: 1 }).accessToken,
    volunteers: ids.map((id) => ({
      id: id.toHexString(),
      token: tokens.issue({ id: id.toHexString(), roles: [], rolesVersion: 0 }).accessToken,
    })),
  };
}

/** A Koa app doing only the data op: JSON body in, one conditional update (re-read on a repeat), JSON out. */
function bareApp(deps: AppDeps): Koa {
  const coll = deps.db.collection('bench_bare_checkins');
  const app = new Koa();
  app.use(async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { code?: string };
    const userId = new Types.ObjectId(ctx.get('x-user'));
    const activityId = new Types.ObjectId(ctx.path.split('/')[5]);
    const filter = { activityId, userId };
    const now = new Date();
    const doc =
      (await coll.findOneAndUpdate(
        { ...filter, checkInAt: { $exists: false } },
        { $set: { checkInAt: now, code: body.code } },
        { returnDocument: 'after' },
      )) ?? (await coll.findOne(filter));
    ctx.body = { attendance: { activityId: activityId.toHexString(), checkInAt: doc?.checkInAt ?? null, checkOutAt: null, minutes: null } };
  });
  return app;
}

/** Every volunteer checks in once, CONNECTIONS at a time; `{{code}}` is the leader's current code when each request is sent. */
async function wave(
  baseUrl: string,
  c: Cast,
  codeNow: () => string,
  headersFor: (v: Cast['volunteers'][number]) => Record<string, string>,
): Promise<Figures & { answers: Map<string, string> }> {
  const body = JSON.stringify({ code: '{{code}}', location: NEAR });
  const jobs = c.volunteers.map((v) => ({ path: `/api/v1/volunteers/activities/${c.activityId}/check-in`, headers: headersFor(v), body }));
  const f = await runJobs(baseUrl, jobs, { connections: CONNECTIONS, answers: true, live: () => ({ code: codeNow() }) });
  const answers = new Map<string, string>();
  c.volunteers.forEach((v, i) => answers.set(v.id, f.answers?.[i]?.body ?? ''));
  return { ...f, answers };
}

runBench(async () => {
  let casts: { warm: Cast; main: Cast } | undefined;
  const api = await startBenchApi({
    name: 'checkin',
    beforeListen: async (deps, services) => {
      casts = { warm: await cast(deps, services, WARMUP, 'warm-up'), main: await cast(deps, services, VOLUNTEERS, 'main') };
    },
  });
  let bare: Bare | undefined;
  try {
    if (!casts) throw new Error('setup did not run');
    const { warm, main: run } = casts;
    bare = await startBare(bareApp(api.deps));
    const bareUrl = bare.url;
    // The bare server's documents: the same sign-ups, in its own collection.
    const bareColl = api.deps.db.collection('bench_bare_checkins');
    for (const c of [warm, run]) {
      const activityId = new Types.ObjectId(c.activityId);
      for (let i = 0; i < c.volunteers.length; i += 1000) {
        await bareColl.insertMany(
          c.volunteers.slice(i, i + 1000).map((v) => ({ activityId, userId: new Types.ObjectId(v.id), state: 'confirmed' })),
        );
      }
    }
    await bareColl.createIndex({ activityId: 1, userId: 1 }, { unique: true });

    // The leader's phone: the current code, refreshed every 10 s while the wave runs.
    const codes = new Map<string, string>();
    const refresh = async (c: Cast) => {
      const res = await fetch(`${api.url}/api/v1/volunteers/activities/${c.activityId}/code`, {
        headers: { authorization: `Bearer ${c.leaderToken}` },
      });
      if (!res.ok) throw new Error(`code endpoint: ${res.status} ${await res.text()}`);
      codes.set(c.activityId, ((await res.json()) as { code: string }).code);
    };
    await refresh(warm);
    await refresh(run);
    const timer = setInterval(() => {
      void refresh(run).catch((err: unknown) => console.error(err));
      void refresh(warm).catch((err: unknown) => console.error(err));
    }, 10_000);
    const ourHeaders = (v: { token: string }) => ({ authorization: `Bearer ${v.token}` });
    const bareHeaders = (v: { id: string }) => ({ 'x-user': v.id });

    console.log(
      `checkin bench: ${VOLUNTEERS} volunteers, ${CONNECTIONS} connections (warm-up ${WARMUP}; database: ${api.mongo.mode}; API log level ${api.config.logLevel})`,
    );
    try {
      await wave(api.url, warm, () => codes.get(warm.activityId) ?? '', ourHeaders);
      await wave(bareUrl, warm, () => 'warm', bareHeaders);
      // Slice r of the volunteers checks in on ours and on bare in turn (who goes first alternates).
      const per = Math.ceil(run.volunteers.length / ROUNDS);
      const slice = (r: number): Cast => ({ ...run, volunteers: run.volunteers.slice(r * per, (r + 1) * per) });
      const turns = await takeTurns(
        (r) => wave(api.url, slice(r), () => codes.get(run.activityId) ?? '', ourHeaders),
        (r) => wave(bareUrl, slice(r), () => 'x', bareHeaders),
      );
      const ours = { ...combine(turns.ours), answers: new Map(turns.ours.flatMap((f) => [...f.answers])) };
      const ceiling = combine(turns.bare);

      // Every volunteer scans again: same answer, nothing written twice.
      const again = await wave(api.url, run, () => codes.get(run.activityId) ?? '', ourHeaders);
      let changed = 0;
      for (const v of run.volunteers) if (again.answers.get(v.id) !== ours.answers.get(v.id)) changed += 1;
      const activityId = new Types.ObjectId(run.activityId);
      const checkins = await SignupModel.countDocuments({ activityId, checkInAt: { $exists: true } });
      const distinct = (await SignupModel.distinct('userId', { activityId, checkInAt: { $exists: true } })).length;
      const duplicates = checkins - distinct + changed;

      printComparison(
        [
          ...turns.ours.map((f, i): [string, Figures] => [`ours ${i + 1}`, f]),
          ...turns.bare.map((f, i): [string, Figures] => [`bare ${i + 1}`, f]),
          ['ours', ours],
          ['bare koa', ceiling],
          ['re-scan', again],
        ],
        'checkins/s',
      );
      if (ours.non2xx + again.non2xx > 0) {
        const sample = [...ours.answers.values()].find((text) => text.includes('"error"'));
        console.log(`WARNING: our API refused check-ins during the run, e.g. ${sample ?? '?'}`);
      }
      summaryLine({
        ratio: ratio(ours, ceiling),
        checkins,
        duplicates,
        ours_rps: ours.rps,
        bare_rps: ceiling.rps,
        p99_ms: ours.p99,
        refused: ours.non2xx,
        bare_p99_ms: ceiling.p99,
        cpu_ratio: cpuRatio(ours, ceiling),
        ours_cpu_us: ours.cpuUsPerReq,
        bare_cpu_us: ceiling.cpuUsPerReq,
        rounds: ROUNDS,
        rss_mb: Math.max(ours.rssMb, again.rssMb),
        db_rss_mb: ours.dbRssMb,
      });
    } finally {
      clearInterval(timer);
    }
  } finally {
    await bare?.close();
    await api.stop();
  }
});
