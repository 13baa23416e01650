import {
  type AuthService,
  type Clock,
  GatehouseError,
  type NameRegistry,
  ownerRole,
  type PermissionResolver,
  type Principal,
  type PrincipalStore,
  type SessionService,
} from "@gatehouse/core";
import type { AdminReadModels, PageRequest, PermissionCache } from "./admin.ts";
import type { AuditRecorder } from "./audit-recorder.ts";
import { type Actor, actorName, type RequestMeta } from "./request-meta.ts";

/** A role as stored: data (owner aside, which grants every registered permission). */
export interface Role {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  permissions: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** Role persistence (stores/pg-role-store.ts). */
export interface RoleRepository {
  list(): Promise<Array<Role & { holders: number }>>;
  findById(id: string): Promise<Role | null>;
  findByName(name: string): Promise<Role | null>;
  create(input: { name: string; description: string; permissions: string[]; now: Date }): Promise<Role>;
  update(
    id: string,
    changes: { description?: string | undefined; permissions: string[]; now: Date },
  ): Promise<Role | null>;
  delete(id: string): Promise<boolean>;
  grantsOf(principalIds: string[]): Promise<Array<{ principalId: string; role: Role }>>;
  holders(roleId: string): Promise<string[]>;
  grant(principalId: string, roleId: string, grantedBy: string, now: Date): Promise<boolean>;
  remove(principalId: string, roleId: string): Promise<boolean>;
  enabledHoldersExcept(roleId: string, exceptPrincipalId: string): Promise<number>;
  rolesOfEnabled(principalId: string): Promise<Array<Pick<Role, "name" | "builtin" | "permissions">>>;
}

export interface RoleDeps {
  roles: RoleRepository;
  permissionCache: PermissionCache;
  permissions: PermissionResolver;
  registries: { permissions: NameRegistry<string> };
  sessions: SessionService;
  principals: PrincipalStore;
  auth: AuthService;
  audit: AuditRecorder;
  clock: Clock;
  /** The realm whose principals are admins (the one offering the admin API), if any. */
  adminRealm: string | null;
  reads: AdminReadModels;
  /** Which of these principals have a confirmed second factor. */
  secondFactors: { confirmedAmong(principalIds: string[]): Promise<Set<string>> };
}

/**
 * Roles and admins (SPEC §5): each change is audited with its actor, and before it answers every
 * affected admin's permission set is dropped on every node and their sessions are flagged for a new
 * token (a privilege change rotates the token, SPEC §2).
 */
export function roleUseCases(deps: RoleDeps) {
  const { roles, audit } = deps;
  const adminRealm = () => {
    if (!deps.adminRealm) throw new GatehouseError("not_found");
    return deps.adminRealm;
  };
  const checkPermissions = (names: readonly string[]) => {
    const unknown = names.filter((name) => !deps.registries.permissions.has(name));
    if (unknown.length > 0) throw new GatehouseError("unknown_permission", { details: { unknown } });
    return [...new Set(names)].sort();
  };
  const roleOr404 = async (id: string) => {
    const role = await roles.findById(id);
    if (!role) throw new GatehouseError("not_found");
    return role;
  };
  const adminOr404 = async (id: string) => {
    const principal = await deps.principals.findById(adminRealm(), id);
    if (!principal) throw new GatehouseError("not_found");
    return principal;
  };
  /** Privileges changed: no node may serve the old set, and each session gets a new token. */
  const privilegesChanged = async (principalIds: readonly string[]) => {
    await deps.permissionCache.invalidate(principalIds);
    for (const id of principalIds) await deps.sessions.flagRotation(adminRealm(), id);
  };
  const refuseLosingLastOwner = async (principalId: string, roleId: string) => {
    const owner = await roles.findByName(ownerRole);
    if (owner?.id !== roleId) return;
    const holds = (await roles.grantsOf([principalId])).some((g) => g.role.id === owner.id);
    if (holds && (await roles.enabledHoldersExcept(owner.id, principalId)) === 0) {
      throw new GatehouseError("last_owner_refused");
    }
  };

  const useCases = {
    /** The permission catalog (core's plus what packages registered), for the console's role editor. */
    permissionCatalog: () => deps.registries.permissions.all().sort(),

    /** Every role; owner shows what it grants: every registered permission. */
    async listRoles() {
      return (await roles.list()).map((role) =>
        role.builtin && role.name === ownerRole ? { ...role, permissions: useCases.permissionCatalog() } : role,
      );
    },

    /** What a session's principal may do now (the session endpoint; the guard asks the resolver itself). */
    async permissionsOf(session: { realm: string; principalId: string }): Promise<string[]> {
      return [...(await deps.permissions.permissionsOf(session))].sort();
    },

    async createRole(
      admin: Actor,
      input: { name: string; description?: string | undefined; permissions: string[] },
      meta: RequestMeta,
    ) {
      const role = await roles.create({
        name: input.name,
        description: input.description ?? "",
        permissions: checkPermissions(input.permissions),
        now: deps.clock.now(),
      });
      await audit.record(meta, {
        type: "role_created",
        realm: admin.realm,
        actor: actorName(admin),
        details: { role: role.name, permissions: role.permissions },
      });
      return role;
    },

    async updateRole(
      admin: Actor,
      id: string,
      input: { description?: string | undefined; permissions: string[] },
      meta: RequestMeta,
    ) {
      const before = await roleOr404(id);
      if (before.builtin && before.name === ownerRole) throw new GatehouseError("builtin_role_refused");
      const permissions = checkPermissions(input.permissions);
      const role = await roles.update(id, { description: input.description, permissions, now: deps.clock.now() });
      if (!role) throw new GatehouseError("not_found");
      await privilegesChanged(await roles.holders(id));
      await audit.record(meta, {
        type: "role_updated",
        realm: admin.realm,
        actor: actorName(admin),
        details: {
          role: role.name,
          added: permissions.filter((p) => !before.permissions.includes(p)),
          removed: before.permissions.filter((p) => !permissions.includes(p)),
        },
      });
      return role;
    },

    async deleteRole(admin: Actor, id: string, meta: RequestMeta) {
      const role = await roleOr404(id);
      if (role.builtin) throw new GatehouseError("builtin_role_refused");
      if (!(await roles.delete(id))) throw new GatehouseError("not_found");
      await audit.record(meta, {
        type: "role_deleted",
        realm: admin.realm,
        actor: actorName(admin),
        details: { role: role.name },
      });
    },

    /** Admin accounts with their roles and second-factor status (fixed number of queries). */
    async listAdmins(filter: { search?: string | undefined }, page: PageRequest) {
      const { count, results } = await deps.reads.listPrincipals({ realm: adminRealm(), search: filter.search }, page);
      const ids = results.map((p) => p.id);
      const [grants, enrolled] = [await roles.grantsOf(ids), await deps.secondFactors.confirmedAmong(ids)];
      return {
        count,
        results: results.map((principal) => ({
          principal,
          roles: grants.filter((g) => g.principalId === principal.id).map((g) => g.role),
          secondFactor: enrolled.has(principal.id),
        })),
      };
    },

    /** Throws `last_owner_refused` when disabling this admin would leave no enabled owner. */
    async keepAnOwner(principalId: string) {
      const owner = await roles.findByName(ownerRole);
      if (owner) await refuseLosingLastOwner(principalId, owner.id);
    },

    /** Creates an admin account with a first password (the admin changes it) and its roles. */
    async createAdmin(
      admin: Actor,
      input: { email: string; password: string; displayName?: string | null | undefined; roleIds: string[] },
      meta: RequestMeta,
    ) {
      const realm = adminRealm();
      const granted: Role[] = [];
      for (const id of input.roleIds) granted.push(await roleOr404(id));
      const principal = await deps.auth.createPrincipal(realm, input);
      await audit.record(meta, {
        type: "principal_created",
        realm,
        principalId: principal.id,
        actor: actorName(admin),
        details: { email: principal.email },
      });
      for (const role of granted) await useCases.grantRole(admin, principal.id, role.id, meta);
      return { principal, roles: granted };
    },

    async grantRole(admin: Actor, principalId: string, roleId: string, meta: RequestMeta) {
      const [principal, role] = [await adminOr404(principalId), await roleOr404(roleId)];
      if (await roles.grant(principal.id, role.id, actorName(admin), deps.clock.now())) {
        await privilegesChanged([principal.id]);
        await audit.record(meta, {
          type: "role_granted",
          realm: principal.realm,
          principalId: principal.id,
          actor: actorName(admin),
          details: { role: role.name },
        });
      }
      return role;
    },

    async removeRole(admin: Actor, principalId: string, roleId: string, meta: RequestMeta) {
      const [principal, role] = [await adminOr404(principalId), await roleOr404(roleId)];
      await refuseLosingLastOwner(principal.id, role.id);
      if (!(await roles.remove(principal.id, role.id))) throw new GatehouseError("not_found");
      await privilegesChanged([principal.id]);
      await audit.record(meta, {
        type: "role_removed",
        realm: principal.realm,
        principalId: principal.id,
        actor: actorName(admin),
        details: { role: role.name },
      });
    },

    /** Grants `owner` to an admin created when no admin held it (the CLI's first admin, the demo seed). */
    async grantOwnerIfNone(principal: Principal, actor: string, meta: RequestMeta): Promise<boolean> {
      if (principal.realm !== deps.adminRealm) return false;
      const owner = await roles.findByName(ownerRole);
      if (!owner || (await roles.enabledHoldersExcept(owner.id, principal.id)) > 0) return false;
      if (!(await roles.grant(principal.id, owner.id, actor, deps.clock.now()))) return false;
      await deps.permissionCache.invalidate([principal.id]);
      await audit.record(meta, {
        type: "role_granted",
        realm: principal.realm,
        principalId: principal.id,
        actor,
        details: { role: owner.name, reason: "first_admin" },
      });
      return true;
    },

    /** Grants a role by name (tests, the CLI); not audited beyond role_granted. */
    async grantRoleByName(principal: Principal, name: string, actor: string, meta: RequestMeta) {
      const role = await roles.findByName(name);
      if (!role) throw new GatehouseError("not_found");
      if (await roles.grant(principal.id, role.id, actor, deps.clock.now())) {
        await privilegesChanged([principal.id]);
        await audit.record(meta, {
          type: "role_granted",
          realm: principal.realm,
          principalId: principal.id,
          actor,
          details: { role: role.name },
        });
      }
    },
  };
  return useCases;
}

export type RoleUseCases = ReturnType<typeof roleUseCases>;
