import { GatehouseError, type NewPrincipal, type Principal, type PrincipalStore } from "@gatehouse/core";
import { and, count, eq, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { principals } from "../db/schema/identity.ts";
import { guardStorage, isUniqueViolation } from "../db/storage-errors.ts";

/** Accounts of every realm in PostgreSQL or PGlite. */
export class PgPrincipalStore implements PrincipalStore {
  constructor(private readonly db: Db) {}

  insert(principal: NewPrincipal): Promise<Principal> {
    return guardStorage(async () => {
      try {
        const rows = await this.db.insert(principals).values(principal).returning();
        return rows[0] as Principal;
      } catch (error) {
        if (isUniqueViolation(error)) throw new GatehouseError("email_taken");
        throw error;
      }
    });
  }

  findByEmail(realm: string, email: string): Promise<Principal | null> {
    return guardStorage(async () => {
      const rows = await this.db
        .select()
        .from(principals)
        .where(and(eq(principals.realm, realm), eq(principals.email, email)))
        .limit(1);
      return rows[0] ?? null;
    });
  }

  findById(realm: string, id: string): Promise<Principal | null> {
    return guardStorage(async () => {
      const rows = await this.db
        .select()
        .from(principals)
        .where(and(eq(principals.realm, realm), eq(principals.id, id)))
        .limit(1);
      return rows[0] ?? null;
    });
  }

  count(): Promise<number> {
    return guardStorage(async () => {
      const rows = await this.db.select({ value: count() }).from(principals);
      return Number(rows[0]?.value ?? 0);
    });
  }

  updatePasswordHash(realm: string, id: string, passwordHash: string): Promise<boolean> {
    return guardStorage(async () => {
      const rows = await this.db
        .update(principals)
        .set({ passwordHash, credentialsVersion: sql`${principals.credentialsVersion} + 1` })
        .where(and(eq(principals.realm, realm), eq(principals.id, id)))
        .returning({ id: principals.id });
      return rows.length > 0;
    });
  }

  setDisabledAt(realm: string, id: string, disabledAt: Date | null): Promise<Principal | null> {
    return guardStorage(async () => {
      const rows = await this.db
        .update(principals)
        .set({ disabledAt })
        .where(and(eq(principals.realm, realm), eq(principals.id, id)))
        .returning();
      return rows[0] ?? null;
    });
  }
}
