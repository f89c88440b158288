import { Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Locks } from '../../core/locks';
import type { Logger } from '../../core/logger';
import { EntryModel, type EntryDoc } from './contests.model';
import { isShortlisted, phaseAt, phaseConflict, roundOf, totalsVisible } from './contest-rules';
import { shanghaiDay } from '../../core/time';
import type { VoteConfigs } from './vote-config';
import type { PendingVote, VoteGate } from './vote-gate';
import { VOTE_GATE_REBUILD_QUIET_MS, recovering, type VoteTally } from './vote-tally';

/** Who votes: the signed-in user, with the device and address the stuffing flags go by. */
export interface Voter extends RoleHolder {
  deviceId?: string | null;
  ip?: string;
}

export interface VotingDeps {
  clock: Clock;
  logger: Logger;
  gate: VoteGate;
  locks: Locks;
  configs: VoteConfigs;
  tally: VoteTally;
}

/** Public voting: each vote decided and counted by the Redis gate, its record stored by the batched writer. */
export function createVoting({ clock, logger, gate, locks, configs, tally }: VotingDeps) {
  const { writer } = tally;
  return {
    /**
     * One public vote. Only WeChat users (the implicit citizen role) vote, during the voting round, for a
     * shortlisted entry, within the contest's daily limits. One Redis round trip decides and counts it
     * (the Lua gate, against the contest config cached in memory) and logs it as pending; the answer
     * comes then. The record, with any stuffing flags (new account, one device shared by several voters),
     * is written to MongoDB in a batch with the other votes of the next few milliseconds.
     */
    async vote(voter: Voter, id: string, entryId: string, requestKey: string | null = null) {
      if (!voter.roles.some((g) => g.role === 'citizen')) throw new AppError('VOTE_WECHAT_ONLY');
      let config = await configs.load(id);
      if (!config) throw new AppError('CONTEST_NOT_FOUND');
      const now = clock.now();
      const day = shanghaiDay(now);
      const voteId = new Types.ObjectId().toHexString();
      const deviceId = voter.deviceId ?? null;
      const waitUntil = Date.now() + 5000;
      let repairs = 0;
      for (;;) {
        const { contest } = config;
        if (phaseAt(contest, now) !== 'voting') throw phaseConflict(contest, now, '投票');
        if (!config.shortlisted.has(entryId)) {
          const entry = await EntryModel.findOne({ _id: oid(entryId), contestId: contest._id }, { shortlisted: 1 }).lean<
            Pick<EntryDoc, '_id' | 'shortlisted'>
          >();
          if (!entry) throw new AppError('ENTRY_NOT_FOUND');
          if (!isShortlisted(contest, entry, now) || repairs >= 3) throw new AppError('ENTRY_NOT_SHORTLISTED');
          // Shortlisted (or filed) after this process loaded the config.
          repairs += 1;
          config = (await configs.load(id, true)) ?? config;
          continue;
        }
        const outcome = await gate.pass({
          contestId: id,
          version: config.version,
          userId: voter.id,
          entryId,
          day,
          now,
          voteId,
          deviceId,
          ip: voter.ip ?? null,
          limits: contest.voting,
          requestKey,
        });
        if (outcome.ok && outcome.replay) {
          // A retry of a vote already counted (its answer may have been lost): that vote, not a second one.
          return {
            voteId: outcome.voteId,
            remainingToday: Math.max(0, contest.voting.perUserPerDay - outcome.total),
            remainingForEntryToday: Math.max(0, contest.voting.perEntryPerDay - outcome.perEntry),
            entryVotes: totalsVisible(contest, now) ? outcome.tally : null,
            replayed: true,
          };
        }
        if (outcome.ok) {
          const vote: PendingVote = {
            voteId,
            contestId: id,
            userId: voter.id,
            entryId,
            day,
            at: now,
            deviceId,
            ip: voter.ip ?? null,
            device: outcome.device,
            requestKey,
          };
          // The vote is counted and in the pending log: the answer need not wait for its record, which
          // the writer stores with the other votes of the next few milliseconds. If that fails the vote
          // stays pending and reconciliation stores it — the voter's vote stands either way. The writer
          // logs failed batches and a full queue once each; a line per vote would flood the log in an outage.
          void writer.write(vote, contest.voting.newAccountHours).then((stored) => {
            if (!stored) logger.debug({ contestId: id, voteId }, 'vote left pending for reconciliation');
          });
          return {
            voteId,
            remainingToday: Math.max(0, contest.voting.perUserPerDay - outcome.total),
            remainingForEntryToday: Math.max(0, contest.voting.perEntryPerDay - outcome.perEntry),
            entryVotes: totalsVisible(contest, now) ? outcome.tally : null,
            replayed: false,
          };
        }
        switch (outcome.reason) {
          case 'key_reused':
            throw new AppError('IDEMPOTENCY_KEY_REUSED');
          case 'user_limit':
            throw new AppError('VOTE_DAILY_LIMIT', {
              message: `今天在本比赛的 ${contest.voting.perUserPerDay} 票已用完，明天再来吧`,
              details: { limit: contest.voting.perUserPerDay },
            });
          case 'entry_limit':
            throw new AppError('VOTE_ENTRY_LIMIT', {
              message: `今天已为该作品投过 ${contest.voting.perEntryPerDay} 票`,
              details: { limit: contest.voting.perEntryPerDay },
            });
          case 'closed': {
            const after = contest.rounds[roundOf(contest, 'voting') + 1]?.kind ?? 'results';
            throw new AppError('CONTEST_PHASE_CLOSED', { message: '投票已结束，票数已锁定', details: { phase: after } });
          }
          case 'paused':
            // A rebuild is writing the pending votes and recounting: wait for it, briefly.
            if (Date.now() > waitUntil) throw new AppError('VOTING_BUSY');
            await sleep(20);
            continue;
        }
        if (repairs >= 3) throw new AppError('VOTING_BUSY');
        if (outcome.reason === 'stale_config') {
          repairs += 1;
          config = await configs.load(id, true);
          if (!config) throw new AppError('CONTEST_NOT_FOUND');
        } else {
          // Redis lost the tally (tally_missing) or this day's counters (counters_missing): both are
          // rebuilt from the stored votes, after every pending vote is written — once the quiet period
          // since the first sighting has passed (until then: 503, no MongoDB read). One voter rebuilds;
          // the others wait for it like for any pause.
          const lostAt = outcome.lostAt ?? now.getTime();
          if (now.getTime() - lostAt < VOTE_GATE_REBUILD_QUIET_MS) throw recovering(lostAt, now);
          const rebuilt = await locks.withLock(`contest-tally:${id}`, 60_000, () => tally.rebuildLocked(id, day));
          if (rebuilt.ran) repairs += 1;
          else if (Date.now() > waitUntil) throw new AppError('VOTING_BUSY');
          else await sleep(20);
        }
      }
    },

    /** Resolves once every vote this process has counted so far is stored (tests, checks, shutdown). */
    flushVotes: () => writer.idle(),
  };
}
