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
  requestKey: null,
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

describe('vote writer idle()', () => {
  it('waits for the votes queued before it, not for a rush that keeps the queue full', async () => {
    const logger = { warn: () => undefined, error: () => undefined } as unknown as Logger;
    // Every batch takes a few milliseconds and fails (MongoDB down): the votes stay pending, each batch is
    // still an attempt that idle() counts.
    const createdAtOf = jest.fn(async () => {
      await new Promise((r) => setTimeout(r, 3));
      throw new Error('MongoDB unavailable');
    });
    const writer = createVoteWriter({ gate: {} as VoteGate, logger, createdAtOf });
    const before = [1, 2, 3].map((n) => writer.write(vote(n), 24));

    // The rush: 20 votes a millisecond, for up to 5 seconds or until idle() has answered.
    let answered = false;
    let n = 100;
    const rush = (async () => {
      const until = Date.now() + 5_000;
      while (!answered && Date.now() < until) {
        for (let i = 0; i < 20; i += 1) void writer.write(vote((n += 1)), 24);
        await new Promise((r) => setTimeout(r, 1));
      }
      return Date.now() < until;
    })();
    await writer.idle();
    answered = true;
    expect(await rush).toBe(true);
    // The votes queued before it have had their batch (left pending: false).
    await expect(Promise.all(before)).resolves.toEqual([false, false, false]);
    // With the rush over, idle() covers everything queued.
    await writer.idle();
  });
});
