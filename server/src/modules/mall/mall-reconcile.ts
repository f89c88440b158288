import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { MallService } from './mall.types';
import type { RedeemGate } from './redeem-gate';
import { RedemptionWriteError, writeRedemptions, type RedeemWriterDeps, type WriteReport } from './redeem-writer';

/** A pending redemption younger than this may still be on its way to MongoDB: reconciliation leaves it alone. */
export const RECONCILE_GRACE_MS = 30_000;

export interface MallReconcileDeps {
  clock: Clock;
  logger: Logger;
  gate: RedeemGate;
  writer: RedeemWriterDeps;
}

/** The reconciliation job's work: pending redemptions a crash left between the gate and the durable write are written. */
export function createMallReconcile({ clock, logger, gate, writer }: MallReconcileDeps): Pick<MallService, 'reconcile'> {
  return {
    async reconcile(now = clock.now()) {
      const all = await gate.allPending();
      const due = all.filter((p) => now.getTime() - p.a >= RECONCILE_GRACE_MS);
      const report = { written: 0, existing: 0, voided: 0, dropped: 0, failed: 0, due: due.length, pending: all.length };
      const add = (r: WriteReport) => {
        report.written += r.written;
        report.existing += r.existing;
        report.voided += r.voided;
        report.dropped += r.dropped;
      };
      for (let i = 0; i < due.length; i += 200) {
        const chunk = due.slice(i, i + 200);
        try {
          add(await writeRedemptions(writer, chunk));
        } catch (err) {
          // What could not be written stays pending (the next run tries again); later chunks go on.
          if (err instanceof RedemptionWriteError) add(err.report);
          const failed = err instanceof RedemptionWriteError ? err.failed.length : chunk.length;
          report.failed += failed;
          logger.error({ err, failed, chunk: chunk.length }, 'reconciliation could not write pending redemptions');
        }
      }
      return report;
    },
  };
}
