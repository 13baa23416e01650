import { type Clock, isLive, type SessionRecord, type SessionStore } from "@gatehouse/core";
import { ExactCache } from "./exact-cache.ts";
import type { InvalidationBus } from "./invalidation-bus.ts";

export { type InvalidationBus, localInvalidationBus } from "./invalidation-bus.ts";

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
  private readonly cache: ExactCache<SessionRecord>;

  constructor(
    private readonly inner: SessionStore,
    private readonly deps: { clock: Clock; bus: InvalidationBus; maxEntries: number },
  ) {
    this.cache = new ExactCache(deps);
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const cached = this.cache.get(id);
    if (cached && isLive(cached, this.deps.clock.now())) return { ...cached };
    const record = await this.cache.load(id, () => this.inner.findById(id));
    return record ? { ...record } : null;
  }

  async touch(id: string, update: { lastActivityAt: Date; idleExpiresAt: Date }): Promise<void> {
    await this.inner.touch(id, update);
    this.cache.update(id, (cached) => ({ ...cached, ...update }));
  }

  insert(record: SessionRecord): Promise<void> {
    return this.inner.insert(record);
  }

  async replace(oldId: string, next: SessionRecord): Promise<boolean> {
    const replaced = await this.inner.replace(oldId, next);
    await this.cache.invalidate([oldId]);
    return replaced;
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.inner.delete(id);
    await this.cache.invalidate([id]);
    return deleted;
  }

  async deleteByPrincipal(realm: string, principalId: string, options?: { exceptId?: string }): Promise<string[]> {
    const ended = await this.inner.deleteByPrincipal(realm, principalId, options);
    await this.cache.invalidate(ended);
    return ended;
  }

  // Both change what a guard decides (step-up, rotation), so every node must re-read the row.
  async markAuthenticated(id: string, at: Date): Promise<boolean> {
    const marked = await this.inner.markAuthenticated(id, at);
    await this.cache.invalidate([id]);
    return marked;
  }

  async flagRotation(realm: string, principalId: string): Promise<string[]> {
    const flagged = await this.inner.flagRotation(realm, principalId);
    await this.cache.invalidate(flagged);
    return flagged;
  }

  listByPrincipal(realm: string, principalId: string): Promise<SessionRecord[]> {
    return this.inner.listByPrincipal(realm, principalId);
  }

  /** Entries held now (for metrics and tests). */
  get size(): number {
    return this.cache.size;
  }
}
