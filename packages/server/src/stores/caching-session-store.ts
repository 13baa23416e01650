import { type Clock, isLive, type SessionRecord, type SessionStore } from "@gatehouse/core";

/**
 * Keys on the bus are session ids, or `principal:<id>` for principal records (caching-principal-store.ts);
 * each cache ignores keys it does not hold.
 *
 * How invalidations reach every process that caches sessions. `local` (one node): nothing to send.
 * Redis (`redis-invalidation-bus.ts`): published to every node, and `publish` returns only once every
 * node has dropped the ids — or once the staleness bound has passed, after which a node that did not
 * confirm has stopped using its cache (`usable()` turns false when it stops hearing from Redis).
 */
export interface InvalidationBus {
  /** Resolves when no node can still serve one of these ids from its cache. */
  publish(sessionIds: readonly string[]): Promise<void>;
  /** Registers a local cache's drop function for invalidations from other nodes (any number of caches). */
  subscribe(drop: (sessionIds: readonly string[]) => void): void;
  /** False while this node cannot be sure it hears every invalidation (then the cache is bypassed). */
  usable(): boolean;
  close(): Promise<void>;
}

export const localInvalidationBus: InvalidationBus = {
  publish: async () => {},
  subscribe: () => {},
  usable: () => true,
  close: async () => {},
};

/**
 * A read cache in front of the session store, keyed by session id (never the secret: the service still
 * verifies the secret against the hash on every request). It can never serve a revoked or ended session:
 * - every delete, replace and principal-wide delete drops the ids locally and, through the bus, on every
 *   node before it returns (so before the revoking request answers);
 * - a row read from the store is cached only if no invalidation arrived while it was being read (the
 *   `generation` check), so a read racing a revocation cannot put the revoked row back;
 * - an entry is served only while it is live by the clock; one whose idle deadline passed is re-read
 *   (another node may have recorded activity that moved it);
 * - while the bus is not usable (Redis lost), nothing is served from or put into the cache.
 */
export class CachingSessionStore implements SessionStore {
  private readonly entries = new Map<string, SessionRecord>();
  /** Bumped by every invalidation, local or remote. */
  private generation = 0;
  private wasUsable = true;

  constructor(
    private readonly inner: SessionStore,
    private readonly deps: { clock: Clock; bus: InvalidationBus; maxEntries: number },
  ) {
    deps.bus.subscribe((ids) => this.drop(ids));
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const usable = this.cacheUsable();
    const cached = usable ? this.entries.get(id) : undefined;
    if (cached && isLive(cached, this.deps.clock.now())) return { ...cached };
    const generation = this.generation;
    const record = await this.inner.findById(id);
    if (record && usable && generation === this.generation && this.cacheUsable()) this.remember(record);
    return record;
  }

  async touch(id: string, update: { lastActivityAt: Date; idleExpiresAt: Date }): Promise<void> {
    await this.inner.touch(id, update);
    const cached = this.entries.get(id);
    if (cached) this.entries.set(id, { ...cached, ...update });
  }

  insert(record: SessionRecord): Promise<void> {
    return this.inner.insert(record);
  }

  async replace(oldId: string, next: SessionRecord): Promise<boolean> {
    const replaced = await this.inner.replace(oldId, next);
    await this.invalidate([oldId]);
    return replaced;
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.inner.delete(id);
    await this.invalidate([id]);
    return deleted;
  }

  async deleteByPrincipal(realm: string, principalId: string, options?: { exceptId?: string }): Promise<string[]> {
    const ended = await this.inner.deleteByPrincipal(realm, principalId, options);
    await this.invalidate(ended);
    return ended;
  }

  listByPrincipal(realm: string, principalId: string): Promise<SessionRecord[]> {
    return this.inner.listByPrincipal(realm, principalId);
  }

  /** Entries held now (for metrics and tests). */
  get size(): number {
    return this.entries.size;
  }

  private async invalidate(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    this.drop(ids);
    await this.deps.bus.publish(ids);
  }

  private drop(ids: readonly string[]): void {
    this.generation += 1;
    for (const id of ids) this.entries.delete(id);
  }

  private remember(record: SessionRecord): void {
    // Oldest-inserted first out: a Map keeps insertion order, so this is O(1) and needs no bookkeeping.
    if (this.entries.size >= this.deps.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(record.id, { ...record });
  }

  /** When the bus stops being usable, everything held may be stale: forget it, and bump the generation. */
  private cacheUsable(): boolean {
    const usable = this.deps.bus.usable();
    if (!usable && this.wasUsable) {
      this.entries.clear();
      this.generation += 1;
    }
    this.wasUsable = usable;
    return usable;
  }
}
