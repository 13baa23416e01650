import type { NewPrincipal, Principal, PrincipalStore } from "@gatehouse/core";
import type { InvalidationBus } from "./caching-session-store.ts";

const key = (id: string) => `principal:${id}`;

/**
 * A read cache for principals by id (the session endpoint reads one on every request), exact in the
 * same way as the session cache: a password change, reset, disable or enable drops the entry locally
 * and on every node (through the bus) before it returns, a read racing such a change is not cached
 * (generation check), and nothing is cached while the bus is not usable. Lookups by email (sign-in)
 * always go to the store.
 */
export class CachingPrincipalStore implements PrincipalStore {
  private readonly entries = new Map<string, Principal>();
  private generation = 0;
  private wasUsable = true;

  constructor(
    private readonly inner: PrincipalStore,
    private readonly deps: { bus: InvalidationBus; maxEntries: number },
  ) {
    deps.bus.subscribe((keys) => this.drop(keys));
  }

  async findById(realm: string, id: string): Promise<Principal | null> {
    const usable = this.cacheUsable();
    const cached = usable ? this.entries.get(key(id)) : undefined;
    if (cached) return cached.realm === realm ? { ...cached } : null;
    const generation = this.generation;
    const found = await this.inner.findById(realm, id);
    if (found && usable && generation === this.generation && this.cacheUsable()) this.remember(found);
    return found;
  }

  insert(principal: NewPrincipal): Promise<Principal> {
    return this.inner.insert(principal);
  }

  findByEmail(realm: string, email: string): Promise<Principal | null> {
    return this.inner.findByEmail(realm, email);
  }

  count(): Promise<number> {
    return this.inner.count();
  }

  async updatePasswordHash(realm: string, id: string, passwordHash: string): Promise<boolean> {
    const updated = await this.inner.updatePasswordHash(realm, id, passwordHash);
    await this.invalidate(id);
    return updated;
  }

  async setDisabledAt(realm: string, id: string, disabledAt: Date | null): Promise<Principal | null> {
    const updated = await this.inner.setDisabledAt(realm, id, disabledAt);
    await this.invalidate(id);
    return updated;
  }

  private async invalidate(id: string): Promise<void> {
    this.drop([key(id)]);
    await this.deps.bus.publish([key(id)]);
  }

  private drop(keys: readonly string[]): void {
    this.generation += 1;
    for (const k of keys) this.entries.delete(k);
  }

  private remember(principal: Principal): void {
    if (this.entries.size >= this.deps.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key(principal.id), { ...principal });
  }

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
