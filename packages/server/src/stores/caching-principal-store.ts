import type { NewPrincipal, Principal, PrincipalStore } from "@gatehouse/core";
import { ExactCache } from "./exact-cache.ts";
import type { InvalidationBus } from "./invalidation-bus.ts";

const key = (id: string) => `principal:${id}`;

/**
 * A read cache for principals by id (the session endpoint reads one on every request), exact in the
 * same way as the session cache: a password change, reset, disable or enable drops the entry locally
 * and on every node (through the bus) before it returns, a read racing such a change is not cached
 * (generation check), and nothing is cached while the bus is not usable. Lookups by email (sign-in)
 * always go to the store.
 */
export class CachingPrincipalStore implements PrincipalStore {
  private readonly cache: ExactCache<Principal>;

  constructor(
    private readonly inner: PrincipalStore,
    deps: { bus: InvalidationBus; maxEntries: number },
  ) {
    this.cache = new ExactCache(deps);
  }

  async findById(realm: string, id: string): Promise<Principal | null> {
    const cached = this.cache.get(key(id));
    if (cached) return cached.realm === realm ? { ...cached } : null;
    const found = await this.cache.load(key(id), () => this.inner.findById(realm, id));
    return found ? { ...found } : null;
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
    await this.cache.invalidate([key(id)]);
    return updated;
  }

  async setDisabledAt(realm: string, id: string, disabledAt: Date | null): Promise<Principal | null> {
    const updated = await this.inner.setDisabledAt(realm, id, disabledAt);
    await this.cache.invalidate([key(id)]);
    return updated;
  }
}
