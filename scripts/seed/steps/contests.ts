import { Types } from 'mongoose';
import { COUNTY, personName } from '../county';
import { seedImage } from '../images/store';
import { ensureCitizen } from '../people';
import type { SeedStep } from '../types';

const DAY = 86_400_000;
const CONTEST_TITLE = `寻找${COUNTY.name}四季之美·摄影大赛`;
const CAMPAIGN_TAG = '春三月';
const OPEN_CALL_TITLE = `舌尖上的${COUNTY.name}·家乡味道征集`;
const seedOpenid = (i: number) => `oSEEDCONTEST${String(i).padStart(16, '0')}`;
/** The seed acts as the platform (no person): an admin principal that exists only for authorization. */
const SYSTEM_ADMIN = { id: new Types.ObjectId('000000000000000000000001').toHexString(), roles: [{ role: 'admin' as const }] };

/** Whether any row of a paged list matches, reading page after page until one does or the list ends. */
async function anyOnPages<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  match: (item: T) => boolean,
): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    if (p.items.some(match)) return true;
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return false;
}

/**
 * A topic campaign (春三月, aimed at the first three circles) and a photo contest in its public-vote round
 * with eight entries from seeded residents. Idempotent: the campaign by its tag, the contest by its title.
 */
export const contestsSeed: SeedStep = {
  name: 'contests',
  async run({ deps, services, log }) {
    const { campaigns, contests } = services;
    const now = deps.clock.now().getTime();
    // Covers are the seed's own pictures, stored as the first contest photographer's uploads.
    const coverOwner = await ensureCitizen({ services }, seedOpenid(0), { nickname: personName(300) });

    if (
      await anyOnPages(
        (cursor) => campaigns.list({ cursor, limit: 100 }),
        (c) => c.tag === CAMPAIGN_TAG,
      )
    ) {
      log(`campaign ${CAMPAIGN_TAG} already there`);
    } else {
      const circles = (await services.circles.list({ limit: 3 })).items;
      const launched = await campaigns.launch(SYSTEM_ADMIN, {
        title: '春三月·记录家乡的春天',
        description: '花开、春茶、春耕：用镜头和文字记录家乡的春天。投稿时选择话题「春三月」，审核通过的稿件额外加 20 积分。',
        tag: CAMPAIGN_TAG,
        cover: await seedImage(services, coverOwner, 'contest-1.png'),
        startsAt: new Date(now - 3 * DAY).toISOString(),
        endsAt: new Date(now + 27 * DAY).toISOString(),
        targetCircleIds: circles.map((c) => c.id),
        bonusPoints: 20,
      });
      log(`campaign ${CAMPAIGN_TAG} launched (${launched.notified} correspondents notified)`);
    }

    // An open call as well, so residents can file an entry from the 活动 tab today.
    if (
      !(await anyOnPages(
        (cursor) => contests.list({ q: OPEN_CALL_TITLE, cursor, limit: 100 }),
        (c) => c.title === OPEN_CALL_TITLE,
      ))
    ) {
      await contests.create(SYSTEM_ADMIN, {
        title: OPEN_CALL_TITLE,
        description: '一道家常菜、一碗老街小吃、一桌年夜饭：拍下你家乡的味道，配上几句它背后的故事。',
        cover: await seedImage(services, coverOwner, 'contest-4.png'),
        rounds: [
          { kind: 'submission', startsAt: new Date(now - 2 * DAY).toISOString() },
          { kind: 'voting', startsAt: new Date(now + 20 * DAY).toISOString() },
          { kind: 'results', startsAt: new Date(now + 30 * DAY).toISOString() },
        ],
        entryKinds: ['photo'],
        maxEntriesPerPerson: 2,
        voting: { perUserPerDay: 3, perEntryPerDay: 1, hideTotals: true, newAccountHours: 72, maxUsersPerDevice: 2 },
        juryWeight: 0,
        publicWeight: 100,
        awards: [{ label: '人气奖', count: 3, points: 200 }],
      });
      log(`open call ${OPEN_CALL_TITLE}: entries open for 20 days`);
    }

    if (
      await anyOnPages(
        (cursor) => contests.list({ q: CONTEST_TITLE, cursor, limit: 100 }),
        (c) => c.title === CONTEST_TITLE,
      )
    ) {
      log('photo contest already there');
      return;
    }
    const contest = await contests.create(SYSTEM_ADMIN, {
      title: CONTEST_TITLE,
      // The theme only: the page states the voting rules and weights itself (from the configuration).
      description: '用镜头记录家乡的四季：春天的花海、夏夜的萤火、金秋的稻浪、冬日的古镇，都欢迎投来。',
      cover: await seedImage(services, coverOwner, 'contest-0.png'),
      rounds: [
        { kind: 'submission', startsAt: new Date(now - 10 * DAY).toISOString() },
        // Voting opens a few seconds from now, once the entries below are in; the advance job does the rest.
        { kind: 'voting', startsAt: new Date(now + 5_000).toISOString() },
        { kind: 'judging', startsAt: new Date(now + 10 * DAY).toISOString() },
        { kind: 'results', startsAt: new Date(now + 14 * DAY).toISOString() },
      ],
      entryKinds: ['submission', 'photo', 'video'],
      maxEntriesPerPerson: 2,
      voting: { perUserPerDay: 3, perEntryPerDay: 1, hideTotals: true, newAccountHours: 72, maxUsersPerDevice: 2 },
      juryWeight: 70,
      publicWeight: 30,
      awards: [
        { label: '一等奖', count: 1, points: 500 },
        { label: '二等奖', count: 2, points: 300 },
        { label: '优秀奖', count: 5, points: 100 },
      ],
    });
    const subjects = ['油菜花海', '春茶采摘', '夏夜萤火', '稻浪翻滚', '秋收时节', '红叶满山', '初雪古镇', '腊月赶场'];
    for (const [i, subject] of subjects.entries()) {
      const id = await ensureCitizen({ services }, seedOpenid(i), { nickname: personName(300 + i) });
      await contests.fileEntry({ id, roles: [{ role: 'citizen' }] }, contest.id, {
        kind: 'photo',
        title: subject,
        description: `${COUNTY.towns[i % COUNTY.towns.length]}·${subject}`,
        imageUrls: [await seedImage(services, id, `contest-${i}.png`)],
      });
    }
    log(`photo contest with ${subjects.length} entries; voting opens in a few seconds`);
  },
};
