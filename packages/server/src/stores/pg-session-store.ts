import type { SessionRecord, SessionStore } from "@gatehouse/core";
import { and, desc, eq, ne } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { sessions } from "../db/schema/sessions.ts";
import { guardStorage } from "../db/storage-errors.ts";

/** Sessions in PostgreSQL or PGlite (same SQL). Every method fails closed with StorageUnavailableError. */
export class PgSessionStore implements SessionStore {
  constructor(private readonly db: Db) {}

  insert(record: SessionRecord): Promise<void> {
    return guardStorage(async () => {
      await this.db.insert(sessions).values(record);
    });
  }

  findById(id: string): Promise<SessionRecord | null> {
    return guardStorage(async () => {
      const rows = await this.db.select().from(sessions).where(eq(sessions.id, id)).limit(1);
      return rows[0] ?? null;
    });
  }

  touch(id: string, update: { lastActivityAt: Date; idleExpiresAt: Date }): Promise<void> {
    return guardStorage(async () => {
      await this.db.update(sessions).set(update).where(eq(sessions.id, id));
    });
  }

  replace(oldId: string, next: SessionRecord): Promise<boolean> {
    return guardStorage(() =>
      this.db.transaction(async (tx) => {
        // DELETE … RETURNING decides the winner atomically; losers roll back without inserting.
        const deleted = await tx.delete(sessions).where(eq(sessions.id, oldId)).returning({ id: sessions.id });
        if (deleted.length === 0) return false;
        await tx.insert(sessions).values(next);
        return true;
      }),
    );
  }

  delete(id: string): Promise<boolean> {
    return guardStorage(async () => {
      const deleted = await this.db.delete(sessions).where(eq(sessions.id, id)).returning({ id: sessions.id });
      return deleted.length > 0;
    });
  }

  deleteByPrincipal(realm: string, principalId: string, options: { exceptId?: string } = {}): Promise<string[]> {
    return guardStorage(async () => {
      const conditions = [eq(sessions.realm, realm), eq(sessions.principalId, principalId)];
      if (options.exceptId) conditions.push(ne(sessions.id, options.exceptId));
      const deleted = await this.db
        .delete(sessions)
        .where(and(...conditions))
        .returning({ id: sessions.id });
      return deleted.map((row) => row.id);
    });
  }

  markAuthenticated(id: string, at: Date): Promise<boolean> {
    return guardStorage(async () => {
      const updated = await this.db
        .update(sessions)
        .set({ authenticatedAt: at })
        .where(eq(sessions.id, id))
        .returning({ id: sessions.id });
      return updated.length > 0;
    });
  }

  flagRotation(realm: string, principalId: string): Promise<string[]> {
    return guardStorage(async () => {
      const flagged = await this.db
        .update(sessions)
        .set({ rotationDue: true })
        .where(and(eq(sessions.realm, realm), eq(sessions.principalId, principalId)))
        .returning({ id: sessions.id });
      return flagged.map((row) => row.id);
    });
  }

  listByPrincipal(realm: string, principalId: string): Promise<SessionRecord[]> {
    return guardStorage(() =>
      this.db
        .select()
        .from(sessions)
        .where(and(eq(sessions.realm, realm), eq(sessions.principalId, principalId)))
        .orderBy(desc(sessions.createdAt), desc(sessions.id)),
    );
  }
}
