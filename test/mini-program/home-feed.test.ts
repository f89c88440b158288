/**
 * What 首页 and 活动 show, as pure functions (miniprogram/src/utils/feed-mix.ts, pages/activities/events.ts):
 * promotions at most one in every N feed rows, bylines never doubled ("通讯员 · 通讯员 黄建国"), ages in words,
 * and the 活动 tab's live/upcoming split of contests and campaigns.
 */
import type { CampaignView } from '@shared/schemas/campaigns';
import type { ContestView } from '@shared/schemas/contests';
import type { ArticleCard } from '@shared/schemas/newsroom';
import { splitEvents } from '../../miniprogram/src/pages/activities/events';
import { ageOf, bylineOf, mixPromotions } from '../../miniprogram/src/utils/feed-mix';

const card = (id: string, sponsored = false): ArticleCard => ({
  id,
  title: id,
  summary: '',
  cover: null,
  video: null,
  column: sponsored ? 'enterprise' : 'headline',
  author: { kind: 'editor', userId: null, name: '融媒体中心' },
  circleId: null,
  publishedAt: '2026-11-24T02:00:00.000Z',
  reads: 0,
  likes: 0,
  pinned: false,
  sponsored,
});

describe('home feed', () => {
  it('puts at most one promotion in every N rows, never first, and none once they run out', () => {
    const news = Array.from({ length: 12 }, (_, i) => card(`n${i}`));
    const ads = [card('p0', true), card('p1', true)];
    const rows = mixPromotions(news, ads, 4);
    const kinds = rows.map((r) => (r.kind === 'promotion' ? 'P' : 'n')).join('');
    expect(kinds).toBe('nnnPnnnPnnnnnn');
    for (let i = 0; i < rows.length; i++) {
      const window = rows.slice(i, i + 4).filter((r) => r.kind === 'promotion');
      expect(window.length).toBeLessThanOrEqual(1);
    }
    expect(rows.filter((r) => r.kind === 'article').map((r) => r.article.id)).toEqual(news.map((n) => n.id));
    expect(mixPromotions([], ads, 4)).toEqual([]);
    expect(mixPromotions(news.slice(0, 2), ads, 4).every((r) => r.kind === 'article')).toBe(true);
  });

  it('writes the byline once: 通讯员 and the name, the centre by its name', () => {
    expect(bylineOf({ kind: 'correspondent', userId: null, name: '通讯员 黄建国' })).toBe('通讯员 黄建国');
    expect(bylineOf({ kind: 'correspondent', userId: null, name: '黄建国' })).toBe('通讯员 黄建国');
    expect(bylineOf({ kind: 'editor', userId: null, name: '青川县融媒体中心' })).toBe('青川县融媒体中心');
  });

  it('says how old a story is in words', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(ageOf('2026-11-24T09:59:30Z', now)).toBe('刚刚');
    expect(ageOf('2026-11-24T09:15:00Z', now)).toBe('45 分钟前');
    expect(ageOf('2026-11-24T07:00:00Z', now)).toBe('3 小时前');
    expect(ageOf('2026-11-20T07:00:00Z', now)).toBe('11月20日');
  });
});

describe('活动 tab', () => {
  const round = (kind: ContestView['rounds'][number]['kind'], startsAt: string, endsAt: string | null) => ({
    kind,
    label: kind,
    startsAt,
    endsAt,
  });
  const contest = (id: string, phase: ContestView['phase'], rounds: ContestView['rounds']): ContestView =>
    ({ id, title: id, cover: null, phase, rounds, createdAt: '2026-11-01T00:00:00Z' }) as ContestView;
  const campaign = (id: string, status: CampaignView['status'], startsAt: string, endsAt: string): CampaignView =>
    ({ id, title: id, cover: null, status, startsAt, endsAt }) as CampaignView;

  it('lists live contests and campaigns closing soonest first, upcoming ones apart, finished ones not at all', () => {
    const { live, upcoming } = splitEvents(
      [
        contest('voting', 'voting', [
          round('submission', '2026-11-01T00:00:00Z', '2026-11-20T00:00:00Z'),
          round('voting', '2026-11-20T00:00:00Z', '2026-12-01T00:00:00Z'),
        ]),
        contest('open', 'submission', [round('submission', '2026-11-10T00:00:00Z', '2026-12-20T00:00:00Z')]),
        contest('later', 'upcoming', [round('submission', '2027-01-01T00:00:00Z', null)]),
        contest('done', 'results', [round('results', '2026-11-01T00:00:00Z', null)]),
      ],
      [
        campaign('spring', 'running', '2026-11-01T00:00:00Z', '2026-12-10T00:00:00Z'),
        campaign('old', 'ended', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'),
      ],
    );
    expect(live.map((c) => [c.id, c.status])).toEqual([
      ['voting', '投票进行中'],
      ['spring', '专题征稿中'],
      ['open', '作品征集中'],
    ]);
    expect(live[0]!.when).toBe('2026年12月1日截止');
    expect(upcoming.map((c) => [c.id, c.when])).toEqual([['later', '2027年1月1日开始']]);
  });
});
