/**
 * A burst of notices (a campaign launch to every user): BENCH_NOTICES (10,000) notices raised at once through
 * notifications.raiseMany, in the API's own process (BENCH_API=in-process is forced: the burst must compete with the
 * requests for the same event loop, MongoDB and Redis), while autocannon loads the home feed. Reports notices per
 * second, the feed's p99 during the burst against a quiet run before it, then checks that exactly BENCH_NOTICES
 * in-app messages and outbox rows exist, and that raising everything again stores nothing more.
 * Ends with one key=value line: notices, notices_per_s, burst_s, feed_p99_ms (during the burst), quiet_p99_ms,
 * feed_rps, non2xx, messages, again_created, doubled.
 * Usage: npm run bench -- notices   (BENCH_NOTICES=10000, BENCH_CONNECTIONS=50; see lib.ts)
 */
import mongoose, { Types } from 'mongoose';
import type { RaiseInput } from '../../server/src/modules/notifications';
import { newsroomSeed } from '../seed/steps/newsroom';
import { CONNECTIONS, runBench, runLoad, startBenchApi, summaryLine } from './lib';

const NOTICES = Number(process.env.BENCH_NOTICES ?? 10_000);

const launch = (userIds: readonly string[]): RaiseInput[] =>
  userIds.map((userId) => ({
    userId,
    kind: 'campaigns',
    key: 'campaigns:launch:bench',
    title: '专题活动「春三月」开始征稿',
    body: '投稿时选择话题「春三月」',
    link: 'subpackages/campaigns/pages/detail/index?id=65f000000000000000000001',
    subscribe: { templateKey: 'campaignLaunch', data: { title: '春三月', startsOn: new Date(), hint: '选择话题' } },
  }));

runBench(async () => {
  const api = await startBenchApi({
    name: 'notices',
    api: 'in-process',
    beforeListen: (deps, services) => newsroomSeed.run({ deps, services, log: () => undefined }),
  });
  try {
    const paths = ['/api/v1/feed'];
    console.log(
      `notices bench: ${NOTICES} notices raised at once while ${CONNECTIONS} connections read ${paths.join(' ')} (database: ${api.mongo.mode}; API in-process)`,
    );
    await runLoad(api.url, { paths, seconds: 2 }); // warm-up
    const quiet = await runLoad(api.url, { paths, seconds: 4 });

    const userIds = Array.from({ length: NOTICES }, () => new Types.ObjectId().toHexString());
    const inputs = launch(userIds);
    // The load runs a little longer than the burst; the burst starts once the load is under way.
    const load = runLoad(api.url, { paths, seconds: 8 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const started = process.hrtime.bigint();
    const first = await api.services.notifications.raiseMany(inputs);
    const burstS = Number(process.hrtime.bigint() - started) / 1e9;
    const during = await load;

    const db = mongoose.connection.db!;
    const messages = await db.collection('notification_messages').countDocuments({ key: 'campaigns:launch:bench' });
    const rows = await db.collection('notification_outbox').countDocuments({ kind: 'campaigns' });
    const again = await api.services.notifications.raiseMany(inputs);
    const after = await db.collection('notification_messages').countDocuments({ key: 'campaigns:launch:bench' });
    const doubled = (
      await db
        .collection('notification_messages')
        .aggregate([{ $group: { _id: '$userId', n: { $sum: 1 } } }, { $match: { n: { $gt: 1 } } }, { $count: 'n' }])
        .toArray()
    )[0]?.n as number | undefined;
    console.log(
      `burst: ${first.created} created, ${first.queued} outbox rows queued for the paced job in ${burstS.toFixed(2)} s; ` +
        `feed during: ${Math.round(during.rps)} rps p99 ${during.p99} ms (quiet: ${Math.round(quiet.rps)} rps p99 ${quiet.p99} ms); ` +
        `messages ${messages}, outbox rows ${rows}; again: ${again.created} created, ${again.duplicates} duplicates`,
    );
    if (messages !== NOTICES || rows !== NOTICES || after !== NOTICES || again.created !== 0 || doubled) {
      throw new Error(`lost or doubled: messages=${messages} rows=${rows} after=${after} again=${again.created} doubled=${doubled ?? 0}`);
    }
    summaryLine({
      notices: NOTICES,
      notices_per_s: Math.round(NOTICES / burstS),
      burst_s: Number(burstS.toFixed(2)),
      feed_p99_ms: during.p99,
      quiet_p99_ms: quiet.p99,
      feed_rps: Math.round(during.rps),
      non2xx: during.non2xx + during.errors,
      messages: after,
      again_created: again.created,
      doubled: doubled ?? 0,
    });
  } finally {
    await api.stop();
  }
});
