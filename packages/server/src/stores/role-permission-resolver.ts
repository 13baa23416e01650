import { type NameRegistry, type Permission, type PermissionResolver, permissionsOfRoles } from "@gatehouse/core";
import type { RoleRepository } from "../app/roles.ts";
import { ExactCache } from "./exact-cache.ts";
import type { InvalidationBus } from "./invalidation-bus.ts";

const key = (principalId: string) => `permissions:${principalId}`;
const nothing: ReadonlySet<Permission> = new Set();

/**
 * Which permissions an admin holds: the union of their roles' permissions (owner: every registered
 * one), none for a disabled admin or a principal of a realm without the admin API. Cached per admin in
 * process, exactly like the session cache (stores/exact-cache.ts): every role change, grant, removal
 * and disable calls `invalidate` before it answers, which drops the entry here and on every node
 * through the invalidation bus; a read racing such a change is not cached; nothing is served while the
 * bus is not usable.
 */
export class RolePermissionResolver implements PermissionResolver {
  private readonly cache: ExactCache<ReadonlySet<Permission>> | null;

  constructor(
    private readonly deps: {
      roles: Pick<RoleRepository, "rolesOfEnabled">;
      registry: NameRegistry<string>;
      adminRealms: readonly string[];
      bus: InvalidationBus;
      /** 0 turns the cache off. */
      maxEntries: number;
    },
  ) {
    this.cache = deps.maxEntries > 0 ? new ExactCache({ bus: deps.bus, maxEntries: deps.maxEntries }) : null;
  }

  async permissionsOf(principal: { realm: string; principalId: string }): Promise<ReadonlySet<Permission>> {
    if (!this.deps.adminRealms.includes(principal.realm)) return nothing;
    const load = async () =>
      permissionsOfRoles(await this.deps.roles.rolesOfEnabled(principal.principalId), this.deps.registry);
    if (!this.cache) return load();
    const cached = this.cache.get(key(principal.principalId));
    if (cached) return cached;
    return (await this.cache.load(key(principal.principalId), load)) ?? nothing;
  }

  /** Drops these admins' permission sets on every node; resolves when none can serve the old set. */
  async invalidate(principalIds: readonly string[]): Promise<void> {
    if (!this.cache) return;
    await this.cache.invalidate(principalIds.map(key));
  }
}
