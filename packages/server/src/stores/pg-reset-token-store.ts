import type { ResetTokenRecord, ResetTokenStore } from "@gatehouse/core";
import { and, eq, gt } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { resetTokens } from "../db/schema/reset-tokens.ts";
import { guardStorage } from "../db/storage-errors.ts";

/** Reset tokens in PostgreSQL or PGlite. Consumption is one `DELETE … RETURNING`: exactly one winner. */
export class PgResetTokenStore implements ResetTokenStore {
  constructor(private readonly db: Db) {}

  issue(record: ResetTokenRecord): Promise<void> {
    return guardStorage(() =>
      this.db.transaction(async (tx) => {
        await tx
          .delete(resetTokens)
          .where(and(eq(resetTokens.realm, record.realm), eq(resetTokens.principalId, record.principalId)));
        await tx.insert(resetTokens).values(record);
      }),
    );
  }

  consume(realm: string, tokenHash: string, now: Date): Promise<ResetTokenRecord | null> {
    return guardStorage(async () => {
      const rows = await this.db
        .delete(resetTokens)
        .where(and(eq(resetTokens.tokenHash, tokenHash), eq(resetTokens.realm, realm), gt(resetTokens.expiresAt, now)))
        .returning();
      return rows[0] ?? null;
    });
  }

  deleteByPrincipal(realm: string, principalId: string): Promise<number> {
    return guardStorage(async () => {
      const rows = await this.db
        .delete(resetTokens)
        .where(and(eq(resetTokens.realm, realm), eq(resetTokens.principalId, principalId)))
        .returning({ tokenHash: resetTokens.tokenHash });
      return rows.length;
    });
  }
}
