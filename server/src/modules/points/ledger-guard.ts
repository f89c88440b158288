/**
 * The port through which another module keeps a cache of spendable balances honest (the mall's redemption
 * gate caches each user's balance in Redis and admits redemptions against it before they reach the ledger).
 * Points calls it around its own ledger writes; the mall registers its implementation once, on the points
 * service it is given (points.guardLedgerWrites). Points knows nothing of the mall.
 */
export interface LedgerWriteGuard {
  /**
   * Runs a ledger write (anything but a plain credit) with the user's cached balance frozen: dropped and not
   * reloaded until `write` is done, and spends already promised against it recorded first (they were promised
   * before this write, and consume the lots valid when they were promised).
   */
  frozen<T>(userId: string, write: () => Promise<T>): Promise<T>;
  /** A credit committed: the cached balance is short of it (never above the ledger); drop it. */
  credited(userId: string): Promise<void>;
}

/** Nests the registered guards around a write (none: the write alone). */
export function composeGuards(guards: readonly LedgerWriteGuard[]): LedgerWriteGuard {
  return {
    frozen: (userId, write) => guards.reduceRight<typeof write>((inner, g) => () => g.frozen(userId, inner), write)(),
    credited: async (userId) => {
      for (const g of guards) await g.credited(userId);
    },
  };
}
