import { NameRegistry } from "./name-registry.ts";

/**
 * The permission catalog: what admin routes declare (docs/admin-access.md lists it). The core's own;
 * a domain package registers more at boot (`createPermissions().register(...)`, e.g. `chamas.read`).
 * Roles (data) grant them; the server's role resolver answers `PermissionResolver`.
 */
export const permissions = [
  "principals.read",
  "principals.manage",
  "sessions.read",
  "sessions.revoke",
  "audit.read",
  "roles.manage",
  "admins.manage",
] as const;

/** What each core permission allows (docs and the console). */
export const permissionDescriptions: Readonly<Record<CorePermission, string>> = {
  "principals.read": "list and search accounts of every realm",
  "principals.manage": "disable and enable accounts",
  "sessions.read": "see any principal's sessions",
  "sessions.revoke": "end another principal's sessions",
  "audit.read": "search and export the audit log",
  "roles.manage": "create, edit and delete roles",
  "admins.manage": "create admins, grant and remove their roles, disable them",
};

export type CorePermission = (typeof permissions)[number];
/** A core permission, or one a package registered (`string & {}` keeps completion for the core's). */
export type Permission = CorePermission | (string & {});

export function createPermissions(): NameRegistry<CorePermission> {
  return new NameRegistry("permission", permissions);
}

/** Answers which permissions a principal holds in a realm (the server's implementation caches them exactly). */
export interface PermissionResolver {
  permissionsOf(principal: { realm: string; principalId: string }): Promise<ReadonlySet<Permission>>;
}

const nothing: ReadonlySet<Permission> = new Set();

/**
 * Every admin holds every permission: for tests of the guard alone. Principals of the realms that offer the admin API hold every registered
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

/** A role as the server stores it: data, except that `owner` grants every registered permission. */
export interface RoleDefinition {
  name: string;
  description: string;
  permissions: readonly Permission[];
}

/** The name of the built-in role that holds every permission, present and future. */
export const ownerRole = "owner";

/**
 * The built-in roles, inserted at boot when missing (their permissions may be edited afterwards,
 * except owner's, which is always "everything registered"). docs/admin-access.md lists them.
 */
export const builtinRoles: readonly RoleDefinition[] = [
  { name: ownerRole, description: "Every permission, including managing roles and admins", permissions: [] },
  {
    name: "security",
    description: "Accounts, sessions and the audit log: investigate and contain",
    permissions: ["principals.read", "principals.manage", "sessions.read", "sessions.revoke", "audit.read"],
  },
  {
    name: "support",
    description: "Look up accounts and their sessions; no revocation",
    permissions: ["principals.read", "sessions.read"],
  },
  {
    name: "viewer",
    description: "Read-only: accounts, sessions and the audit log",
    permissions: ["principals.read", "sessions.read", "audit.read"],
  },
];

/** What a set of roles grants: the union of their permissions, or everything registered for owner. */
export function permissionsOfRoles(
  roles: readonly { name: string; builtin: boolean; permissions: readonly string[] }[],
  registry: NameRegistry<string>,
): ReadonlySet<Permission> {
  if (roles.some((role) => role.builtin && role.name === ownerRole)) return new Set(registry.all());
  // A permission a package no longer registers grants nothing (the catalog is what routes declare).
  return new Set(roles.flatMap((role) => role.permissions).filter((name) => registry.has(name)));
}
