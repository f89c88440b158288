import type { CampaignView } from '@shared/schemas/campaigns';
import { CONTEST_PHASE_TEXT, type ContestView } from '@shared/schemas/contests';
import { formatDateCn } from '../../utils/format';

/** A contest or a topic campaign as the 活动 tab lists it. */
export interface EventCard {
  kind: 'contest' | 'campaign';
  id: string;
  title: string;
  cover: string | null;
  /** 作品征集中, 投票进行中, 征稿中, 即将开始… */
  status: string;
  /** The dates that matter now: when entry/voting closes, when it starts, when the campaign ends. */
  when: string;
  live: boolean;
  /** Sort key: live ones by when they close, upcoming by when they start. */
  at: number;
}

export const isLive = (c: ContestView) => c.phase !== 'upcoming' && c.phase !== 'results';

function contestCard(c: ContestView): EventCard {
  const round = c.rounds.find((r) => r.kind === c.phase);
  const first = c.rounds[0];
  const live = isLive(c);
  const when = live ? (round?.endsAt ? `${formatDateCn(round.endsAt)}截止` : '') : first ? `${formatDateCn(first.startsAt)}开始` : '';
  const at = new Date((live ? round?.endsAt : first?.startsAt) ?? c.createdAt).getTime();
  return { kind: 'contest', id: c.id, title: c.title, cover: c.cover, status: CONTEST_PHASE_TEXT[c.phase], when, live, at };
}

function campaignCard(c: CampaignView): EventCard {
  const live = c.status === 'running';
  return {
    kind: 'campaign',
    id: c.id,
    title: c.title,
    cover: c.cover,
    status: live ? '专题征稿中' : '即将开始',
    when: live ? `${formatDateCn(c.endsAt)}截止` : `${formatDateCn(c.startsAt)}开始`,
    live,
    at: new Date(live ? c.endsAt : c.startsAt).getTime(),
  };
}

/**
 * Live contests and campaigns (closing soonest first) and upcoming ones (starting soonest first); finished
 * ones stay off the tab (their pages keep the results).
 */
export function splitEvents(
  contests: readonly ContestView[],
  campaigns: readonly CampaignView[],
): { live: EventCard[]; upcoming: EventCard[] } {
  const cards = [
    ...contests.filter((c) => c.phase !== 'results').map(contestCard),
    ...campaigns.filter((c) => c.status !== 'ended').map(campaignCard),
  ].sort((a, b) => a.at - b.at);
  return { live: cards.filter((c) => c.live), upcoming: cards.filter((c) => !c.live) };
}
