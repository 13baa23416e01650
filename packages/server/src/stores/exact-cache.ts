import type { InvalidationBus } from "./invalidation-bus.ts";

/**
 * The mechanism both validation caches share (sessions, principals): a bounded map that is emptied
 * when the bus stops being usable, dropped from by every local or remote invalidation, and filled only
 * by reads that no invalidation raced (a generation counter). The stores decide what to key and when.
 */
export class ExactCache<V> {
  private readonly entries = new Map<string, V>();
  /** Bumped by every invalidation, local or remote, and when the bus fails. */
  private generation = 0;
  private wasUsable = true;

  constructor(private readonly deps: { bus: InvalidationBus; maxEntries: number }) {
    deps.bus.subscribe((keys) => this.drop(keys));
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value, or undefined on a miss or while the bus is not usable. */
  get(key: string): V | undefined {
    return this.usable() ? this.entries.get(key) : undefined;
  }

  /**
   * Reads through `load` and caches the result only if no invalidation arrived while it was read and
   * the bus was usable before and after.
   */
  async load(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const usable = this.usable();
    const generation = this.generation;
    const value = await load();
    if (value !== null && usable && generation === this.generation && this.usable()) this.remember(key, value);
    return value;
  }

  /** Updates an entry already held (e.g. recorded activity); never adds one. */
  update(key: string, change: (value: V) => V): void {
    const held = this.entries.get(key);
    if (held !== undefined) this.entries.set(key, change(held));
  }

  /** Drops the keys here, then on every node; resolves when no node can serve them any more. */
  async invalidate(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    this.drop(keys);
    await this.deps.bus.publish(keys);
  }

  private drop(keys: readonly string[]): void {
    this.generation += 1;
    for (const key of keys) this.entries.delete(key);
  }

  private remember(key: string, value: V): void {
    // Oldest-inserted first out: a Map keeps insertion order, so this is O(1) and needs no bookkeeping.
    if (this.entries.size >= this.deps.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, value);
  }

  /** When the bus stops being usable, everything held may be stale: forget it, and bump the generation. */
  private usable(): boolean {
    const usable = this.deps.bus.usable();
    if (!usable && this.wasUsable) {
      this.entries.clear();
      this.generation += 1;
    }
    this.wasUsable = usable;
    return usable;
  }
}
