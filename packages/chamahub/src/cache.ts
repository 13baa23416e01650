/**
 * The chama detail cache. Entries are keyed by chama id and the row's `version`, which every write
 * bumps in its own transaction: a read that sees a new version never uses an old entry, on any node,
 * so invalidation is exact without a message bus. Local writes also drop their entry at once.
 */
export class VersionedCache<V> {
  private readonly entries = new Map<string, { version: number; value: V }>();

  constructor(private readonly maxEntries = 1000) {}

  get(id: string, version: number): V | undefined {
    const entry = this.entries.get(id);
    return entry && entry.version === version ? entry.value : undefined;
  }

  set(id: string, version: number, value: V): void {
    this.entries.delete(id);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(id, { version, value });
  }

  invalidate(id: string): void {
    this.entries.delete(id);
  }
}
