import type { Redis } from 'ioredis';
import type { Clock } from '../../core/clock';
import { createLocks } from '../../core/locks';
import type { Logger } from '../../core/logger';
import type { NotificationsService } from '../notifications';
import type { SubmissionsService } from '../submissions';
import type { UsersService } from '../users';
import { createContestAdmin } from './contest-admin';
import { createContestEntries } from './contest-entries';
import { createJury } from './jury';
import { createResults, type AwardLedger } from './results';
import { createRoundClock } from './round-clock';
import { createVoteConfigs } from './vote-config';
import { createVoteGate } from './vote-gate';
import { createVoteModeration } from './vote-moderation';
import { createVoteTally } from './vote-tally';
import { createVoting } from './voting';

/** Re-exported: the module's public API names it (the advance job). */
export { roundIndexAt } from './contest-rules';
export { VOTE_GATE_REBUILD_QUIET_MS } from './vote-tally';
export type { AwardLedger } from './results';
export type { Voter } from './voting';

export interface ContestsServiceDeps {
  clock: Clock;
  redis: Redis;
  logger: Logger;
  users: Pick<UsersService, 'getView' | 'createdAtOf' | 'accountNames' | 'publicProfiles'>;
  submissions: Pick<SubmissionsService, 'get'>;
  ledger: AwardLedger;
  notifications: Pick<NotificationsService, 'raise'>;
}

export type ContestsService = ReturnType<typeof createContestsService>;

/**
 * Contests, composed from their parts: configuration (contest-admin), entries (contest-entries), the jury's
 * shortlist and scores (jury), public voting (voting) and its moderation (vote-moderation) over the Redis gate
 * and the stored-vote tally (vote-gate, vote-tally), results and awards (results), and the round clock that
 * carries contests through their schedule (round-clock). The pure rules they share are in contest-rules.ts.
 */
export function createContestsService(deps: ContestsServiceDeps) {
  const { clock, redis, users, submissions, ledger, logger, notifications } = deps;
  const gate = createVoteGate(redis);
  const locks = createLocks(redis);
  const configs = createVoteConfigs(gate);
  const tally = createVoteTally({ clock, logger, users, gate, locks });
  const results = createResults({ clock, logger, gate, configs, tally, ledger, notifications });
  const roundClock = createRoundClock({ clock, logger, locks, configs, tally, results });
  const voting = createVoting({ clock, logger, gate, locks, configs, tally });

  const service = {
    ...createContestAdmin({ clock, users, gate, configs }),
    ...createContestEntries({ clock, users, submissions, gate }),
    ...createJury({ clock, configs }),
    vote: voting.vote,
    ...createVoteModeration({ clock, gate, tally, users }),
    ...roundClock,

    /** After any change to a contest's rounds, limits or shortlist: every process reloads it before the next vote. */
    configChanged: configs.changed,

    /** Resolves once every vote this process has counted so far is stored (tests, checks, shutdown). */
    flushVotes: voting.flushVotes,
    /** Shutdown: stores what is queued and stops the writer; a vote not stored stays in the pending log. */
    close: () => tally.writer.close(),
  };
  return service;
}
