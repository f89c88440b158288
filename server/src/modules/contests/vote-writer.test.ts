import type { Logger } from '../../core/logger';
import type { PendingVote, VoteGate } from './vote-gate';
import { createVoteWriter } from './vote-writer';

const vote = (n: number): PendingVote => ({
  voteId: n.toString(16).padStart(24, '0'),
  contestId: 'c'.repeat(24),
  userId: (n + 1_000_000).toString(16).padStart(24, '0'),
  entryId: 'e'.repeat(24),
  day: '2026-12-02',
  at: new Date('2026-12-02T02:00:00Z'),
  deviceId: null,
  ip: null,
  device: 0,
});

describe('vote writer queue bound', () => {
  it('stops queueing past the bound while a batch hangs (MongoDB slow or down): those writes answer false at once', async () => {
    const warnings: unknown[] = [];
    const logger = { warn: (o: unknown) => warnings.push(o), error: () => undefined } as unknown as Logger;
    // The batch's first step (account creation times) never answers: the writer is stuck in its flush.
    const createdAtOf = jest.fn(() => new Promise<Map<string, Date>>(() => undefined));
    const writer = createVoteWriter({ gate: {} as VoteGate, logger, createdAtOf }, 3);

    // The first write starts a batch after the linger (stuck); the next three fill the queue; the fifth is refused.
    const stuck = writer.write(vote(1), 24);
    await new Promise((r) => setTimeout(r, 60));
    expect(createdAtOf).toHaveBeenCalledTimes(1);
    const queued = [2, 3, 4].map((n) => writer.write(vote(n), 24));
    const outcomes: Array<boolean | 'waiting'> = await Promise.all(
      [...queued, writer.write(vote(5), 24), writer.write(vote(6), 24)].map((p) =>
        Promise.race([p, new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 20))]),
      ),
    );
    expect(outcomes).toEqual(['waiting', 'waiting', 'waiting', false, false]);
    // Logged once, not per refused vote.
    expect(warnings).toHaveLength(1);
    void stuck;
  });
});
