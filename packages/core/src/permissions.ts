/**
 * Permissions that admin routes declare. Until roles exist every admin holds all of them; the
 * PermissionResolver below is the one place a role system replaces.
 */
export const permissions = [
  "principals.read",
  "principals.manage",
  "sessions.read",
  "sessions.revoke",
  "audit.read",
] as const;

export type Permission = (typeof permissions)[number];

/** Answers which permissions a principal holds in a realm. Async so a later implementation can cache roles. */
export interface PermissionResolver {
  permissionsOf(principal: { realm: string; principalId: string }): Promise<ReadonlySet<Permission>>;
}

const everything: ReadonlySet<Permission> = new Set(permissions);
const nothing: ReadonlySet<Permission> = new Set();

/** Pre-roles policy: principals of the given realm (the admin realm) hold every permission, others none. */
export function realmWidePermissions(adminRealm: string): PermissionResolver {
  return {
    permissionsOf: async ({ realm }) => (realm === adminRealm ? everything : nothing),
  };
}
