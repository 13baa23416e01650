import { GatehouseError, type RandomSource, type RoleDefinition, randomUuid } from "@gatehouse/core";
import { and, asc, count, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Role, RoleRepository } from "../app/roles.ts";
import type { Db } from "../db/database.ts";
import { adminRoleGrants, adminRoles } from "../db/schema/admin-access.ts";
import { principals } from "../db/schema/identity.ts";
import { guardStorage, isForeignKeyViolation, isUniqueViolation } from "../db/storage-errors.ts";

/**
 * Roles, and which admin holds which, in PostgreSQL or PGlite. The built-in roles are inserted when
 * missing before the first read of roles (idempotent across nodes; edits to them are kept).
 */
export class PgRoleStore implements RoleRepository {
  private builtinsReady: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly random: RandomSource,
    private readonly builtins: readonly RoleDefinition[],
  ) {}

  private ready(): Promise<void> {
    this.builtinsReady ??= this.insertBuiltins().catch((error: unknown) => {
      this.builtinsReady = null;
      throw error;
    });
    return this.builtinsReady;
  }

  private insertBuiltins(): Promise<void> {
    return guardStorage(async () => {
      for (const role of this.builtins) {
        await this.db
          .insert(adminRoles)
          .values({
            id: randomUuid(this.random),
            name: role.name,
            description: role.description,
            builtin: true,
            permissions: [...role.permissions],
          })
          .onConflictDoNothing({ target: adminRoles.name });
      }
    });
  }

  /** Every role with how many admins hold it, built-ins first, then by name. */
  list(): Promise<Array<Role & { holders: number }>> {
    return guardStorage(async () => {
      await this.ready();
      const rows = await this.db
        .select({ role: adminRoles, holders: count(adminRoleGrants.principalId) })
        .from(adminRoles)
        .leftJoin(adminRoleGrants, eq(adminRoleGrants.roleId, adminRoles.id))
        .groupBy(adminRoles.id)
        .orderBy(sql`${adminRoles.builtin} desc`, asc(adminRoles.name));
      return rows.map((row) => ({ ...row.role, holders: Number(row.holders) }));
    });
  }

  findById(id: string): Promise<Role | null> {
    return guardStorage(async () => {
      await this.ready();
      const rows = await this.db.select().from(adminRoles).where(eq(adminRoles.id, id)).limit(1);
      return rows[0] ?? null;
    });
  }

  findByName(name: string): Promise<Role | null> {
    return guardStorage(async () => {
      await this.ready();
      const rows = await this.db.select().from(adminRoles).where(eq(adminRoles.name, name)).limit(1);
      return rows[0] ?? null;
    });
  }

  create(input: { name: string; description: string; permissions: string[]; now: Date }): Promise<Role> {
    return guardStorage(async () => {
      await this.ready();
      try {
        const rows = await this.db
          .insert(adminRoles)
          .values({
            id: randomUuid(this.random),
            name: input.name,
            description: input.description,
            builtin: false,
            permissions: input.permissions,
            createdAt: input.now,
            updatedAt: input.now,
          })
          .returning();
        return rows[0] as Role;
      } catch (error) {
        if (isUniqueViolation(error)) throw new GatehouseError("role_name_taken");
        throw error;
      }
    });
  }

  update(id: string, changes: { description?: string | undefined; permissions: string[]; now: Date }) {
    return guardStorage(async () => {
      const rows = await this.db
        .update(adminRoles)
        .set({
          permissions: changes.permissions,
          updatedAt: changes.now,
          ...(changes.description === undefined ? {} : { description: changes.description }),
        })
        .where(eq(adminRoles.id, id))
        .returning();
      return rows[0] ?? null;
    });
  }

  /** Deletes a role nobody holds; `role_in_use` otherwise (the foreign key decides, atomically). */
  delete(id: string): Promise<boolean> {
    return guardStorage(async () => {
      try {
        const rows = await this.db.delete(adminRoles).where(eq(adminRoles.id, id)).returning({ id: adminRoles.id });
        return rows.length > 0;
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new GatehouseError("role_in_use");
        throw error;
      }
    });
  }

  /** The roles an enabled principal holds (none for a disabled or unknown one): the permission source. */
  rolesOfEnabled(principalId: string): Promise<Array<Pick<Role, "name" | "builtin" | "permissions">>> {
    return guardStorage(() =>
      this.db
        .select({ name: adminRoles.name, builtin: adminRoles.builtin, permissions: adminRoles.permissions })
        .from(adminRoleGrants)
        .innerJoin(adminRoles, eq(adminRoles.id, adminRoleGrants.roleId))
        .innerJoin(principals, eq(principals.id, adminRoleGrants.principalId))
        .where(and(eq(adminRoleGrants.principalId, principalId), isNull(principals.disabledAt))),
    );
  }

  /** Role grants of many principals (the admin list). */
  grantsOf(principalIds: string[]): Promise<Array<{ principalId: string; role: Role }>> {
    if (principalIds.length === 0) return Promise.resolve([]);
    return guardStorage(async () => {
      const rows = await this.db
        .select({ principalId: adminRoleGrants.principalId, role: adminRoles })
        .from(adminRoleGrants)
        .innerJoin(adminRoles, eq(adminRoles.id, adminRoleGrants.roleId))
        .where(inArray(adminRoleGrants.principalId, principalIds))
        .orderBy(asc(adminRoles.name));
      return rows;
    });
  }

  /** Who holds a role (to invalidate their permissions when it changes). */
  holders(roleId: string): Promise<string[]> {
    return guardStorage(async () => {
      const rows = await this.db
        .select({ principalId: adminRoleGrants.principalId })
        .from(adminRoleGrants)
        .where(eq(adminRoleGrants.roleId, roleId));
      return rows.map((row) => row.principalId);
    });
  }

  /** True when the grant is new. */
  grant(principalId: string, roleId: string, grantedBy: string, now: Date): Promise<boolean> {
    return guardStorage(async () => {
      const rows = await this.db
        .insert(adminRoleGrants)
        .values({ principalId, roleId, grantedBy, grantedAt: now })
        .onConflictDoNothing()
        .returning({ roleId: adminRoleGrants.roleId });
      return rows.length > 0;
    });
  }

  /** Removes a grant; true when it existed. */
  remove(principalId: string, roleId: string): Promise<boolean> {
    return guardStorage(async () => {
      const rows = await this.db
        .delete(adminRoleGrants)
        .where(and(eq(adminRoleGrants.principalId, principalId), eq(adminRoleGrants.roleId, roleId)))
        .returning({ roleId: adminRoleGrants.roleId });
      return rows.length > 0;
    });
  }

  /** Enabled admins holding the owner role, excluding one (to keep at least one owner). */
  enabledHoldersExcept(roleId: string, exceptPrincipalId: string): Promise<number> {
    return guardStorage(async () => {
      const [row] = await this.db
        .select({ value: count() })
        .from(adminRoleGrants)
        .innerJoin(principals, eq(principals.id, adminRoleGrants.principalId))
        .where(
          and(
            eq(adminRoleGrants.roleId, roleId),
            isNull(principals.disabledAt),
            sql`${adminRoleGrants.principalId} <> ${exceptPrincipalId}`,
          ),
        );
      return Number(row?.value ?? 0);
    });
  }
}
