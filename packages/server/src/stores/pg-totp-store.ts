import { and, count, eq, inArray, isNotNull, isNull, lt } from "drizzle-orm";
import type { SecondFactorRepository, TotpFactor } from "../app/second-factor.ts";
import type { Db } from "../db/database.ts";
import { recoveryCodes, totpFactors } from "../db/schema/admin-access.ts";
import { guardStorage } from "../db/storage-errors.ts";

/**
 * TOTP factors and recovery codes in PostgreSQL or PGlite. Every one-time rule is one statement: a code
 * step is used with a conditional UPDATE … RETURNING (`last_used_step < step`), a recovery code with
 * DELETE … RETURNING, so two parallel uses of one code give exactly one winner.
 */
export class PgTotpStore implements SecondFactorRepository {
  constructor(private readonly db: Db) {}

  find(principalId: string): Promise<TotpFactor | null> {
    return guardStorage(async () => {
      const rows = await this.db.select().from(totpFactors).where(eq(totpFactors.principalId, principalId)).limit(1);
      return rows[0] ?? null;
    });
  }

  /** A new pending secret (replacing a pending one); false when a confirmed factor exists. */
  begin(principalId: string, secretCiphertext: string, now: Date): Promise<boolean> {
    return guardStorage(async () => {
      const rows = await this.db
        .insert(totpFactors)
        .values({ principalId, secretCiphertext, createdAt: now })
        .onConflictDoUpdate({
          target: totpFactors.principalId,
          set: { secretCiphertext, createdAt: now, lastUsedStep: 0 },
          setWhere: isNull(totpFactors.confirmedAt),
        })
        .returning({ principalId: totpFactors.principalId });
      return rows.length > 0;
    });
  }

  /** Confirms a pending factor at `step` and replaces the recovery codes; false when not pending. */
  confirm(principalId: string, step: number, now: Date, codeHashes: string[]): Promise<boolean> {
    return guardStorage(() =>
      this.db.transaction(async (tx) => {
        const rows = await tx
          .update(totpFactors)
          .set({ confirmedAt: now, lastUsedStep: step })
          .where(and(eq(totpFactors.principalId, principalId), isNull(totpFactors.confirmedAt)))
          .returning({ principalId: totpFactors.principalId });
        if (rows.length === 0) return false;
        await tx.delete(recoveryCodes).where(eq(recoveryCodes.principalId, principalId));
        await tx
          .insert(recoveryCodes)
          .values(codeHashes.map((codeHash) => ({ principalId, codeHash, createdAt: now })));
        return true;
      }),
    );
  }

  /** Uses a code's time step: true only for a step later than the last one used (no replay). */
  useStep(principalId: string, step: number): Promise<boolean> {
    return guardStorage(async () => {
      const rows = await this.db
        .update(totpFactors)
        .set({ lastUsedStep: step })
        .where(
          and(
            eq(totpFactors.principalId, principalId),
            isNotNull(totpFactors.confirmedAt),
            lt(totpFactors.lastUsedStep, step),
          ),
        )
        .returning({ principalId: totpFactors.principalId });
      return rows.length > 0;
    });
  }

  consumeRecoveryCode(principalId: string, codeHash: string): Promise<boolean> {
    return guardStorage(async () => {
      const rows = await this.db
        .delete(recoveryCodes)
        .where(and(eq(recoveryCodes.principalId, principalId), eq(recoveryCodes.codeHash, codeHash)))
        .returning({ principalId: recoveryCodes.principalId });
      return rows.length > 0;
    });
  }

  remainingRecoveryCodes(principalId: string): Promise<number> {
    return guardStorage(async () => {
      const [row] = await this.db
        .select({ value: count() })
        .from(recoveryCodes)
        .where(eq(recoveryCodes.principalId, principalId));
      return Number(row?.value ?? 0);
    });
  }

  /** Removes the factor and its recovery codes; true when there was a confirmed factor. */
  remove(principalId: string): Promise<boolean> {
    return guardStorage(() =>
      this.db.transaction(async (tx) => {
        await tx.delete(recoveryCodes).where(eq(recoveryCodes.principalId, principalId));
        const rows = await tx
          .delete(totpFactors)
          .where(eq(totpFactors.principalId, principalId))
          .returning({ confirmedAt: totpFactors.confirmedAt });
        return rows.some((row) => row.confirmedAt !== null);
      }),
    );
  }

  confirmedAmong(principalIds: string[]): Promise<Set<string>> {
    if (principalIds.length === 0) return Promise.resolve(new Set());
    return guardStorage(async () => {
      const rows = await this.db
        .select({ principalId: totpFactors.principalId })
        .from(totpFactors)
        .where(and(inArray(totpFactors.principalId, principalIds), isNotNull(totpFactors.confirmedAt)));
      return new Set(rows.map((row) => row.principalId));
    });
  }
}
