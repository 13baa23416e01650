import { NameRegistry } from "./name-registry.ts";

/**
 * Permissions that admin routes declare: the core's own; a domain package registers more at boot
 * (`createPermissions().register(...)`). Until roles exist every admin holds all of them; the
 * PermissionResolver below is the one place a role system replaces.
 */
export const permissions = [
  "principals.read",
  "principals.manage",
  "sessions.read",
  "sessions.revoke",
  "audit.read",
] as const;

export type CorePermission = (typeof permissions)[number];
/** A core permission, or one a package registered (`string & {}` keeps completion for the core's). */
export type Permission = CorePermission | (string & {});

export function createPermissions(): NameRegistry<CorePermission> {
  return new NameRegistry("permission", permissions);
}

/** Answers which permissions a principal holds in a realm. Async so a later implementation can cache roles. */
export interface PermissionResolver {
  permissionsOf(principal: { realm: string; principalId: string }): Promise<ReadonlySet<Permission>>;
}

const nothing: ReadonlySet<Permission> = new Set();

/**
 * Pre-roles policy: principals of the realms that offer the admin API hold every registered
 * permission (read at each call, so packages registered at boot are included), others none.
 */
export function realmWidePermissions(
  adminRealms: readonly string[],
  registry: NameRegistry<string>,
): PermissionResolver {
  return {
    permissionsOf: async ({ realm }) => (adminRealms.includes(realm) ? new Set(registry.all()) : nothing),
  };
}
