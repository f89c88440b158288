/**
 * A least-recently-used map bounded by entry count and by a total weight (an entry's size, in whatever unit the
 * owner chooses, e.g. bytes of its JSON). Reading an entry makes it the most recent; adding or re-weighing one
 * drops the least recent until both bounds hold again. An entry's weight may be set later (its size is known
 * only once an answer is computed): until then it counts as `pendingWeight`.
 */
export class BoundedLru<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(private readonly bounds: { maxEntries: number; maxWeight: number; pendingWeight?: number }) {}

  get size(): number {
    return this.entries.size;
  }

  /** The sum of the entries' weights. */
  get weight(): number {
    return this.total;
  }

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    // Map keeps insertion order: moving the entry to the end makes it the most recent.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: K, value: V, weight: number = this.bounds.pendingWeight ?? 0): void {
    this.delete(key);
    this.entries.set(key, { value, weight });
    this.total += weight;
    this.evict(key);
  }

  /** Sets the weight of an entry still held (a no-op when it was dropped meanwhile). */
  weigh(key: K, value: V, weight: number): void {
    const e = this.entries.get(key);
    if (!e || e.value !== value) return;
    this.total += weight - e.weight;
    e.weight = weight;
    this.evict(key);
  }

  delete(key: K): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.weight;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  /** Drops the least recent entries until the bounds hold, `keep` (the entry just written) last. */
  private evict(keep: K): void {
    const within = () => this.entries.size <= this.bounds.maxEntries && this.total <= this.bounds.maxWeight;
    for (const [key, e] of this.entries) {
      if (within()) return;
      if (key === keep) continue;
      this.entries.delete(key);
      this.total -= e.weight;
    }
    if (!within()) this.delete(keep);
  }
}
