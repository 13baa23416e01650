import type { OtpCodeRecord, OtpConsumeResult, OtpStore } from "@gatehouse/core";
import { and, eq, gt, inArray, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { otpCodes } from "../db/schema/abuse.ts";
import { guardStorage } from "../db/storage-errors.ts";

/** One-time sign-in codes in PostgreSQL/PGlite; each outcome is decided by one atomic statement. */
export class PgOtpStore implements OtpStore {
  constructor(private readonly db: Db) {}

  issue(record: OtpCodeRecord, cooldownSince: Date): Promise<boolean> {
    return guardStorage(async () => {
      const rows = await this.db
        .insert(otpCodes)
        .values(record)
        .onConflictDoUpdate({
          target: [otpCodes.realm, otpCodes.principalId],
          set: {
            codeHash: sql`excluded.code_hash`,
            createdAt: sql`excluded.created_at`,
            expiresAt: sql`excluded.expires_at`,
            attemptsLeft: sql`excluded.attempts_left`,
          },
          // Inside the resend cooldown the old code stays and nothing is returned.
          setWhere: sql`${otpCodes.createdAt} <= ${cooldownSince.toISOString()}::timestamptz`,
        })
        .returning({ realm: otpCodes.realm });
      return rows.length === 1;
    });
  }

  consume(realm: string, principalId: string, codeHash: string, now: Date): Promise<OtpConsumeResult> {
    return guardStorage(async () => {
      const live = and(
        eq(otpCodes.realm, realm),
        eq(otpCodes.principalId, principalId),
        gt(otpCodes.expiresAt, now),
        gt(otpCodes.attemptsLeft, 0),
      );
      // One statement per guess, under the row lock: every guess (right or wrong) takes one attempt, and
      // the right one also ends the code. Parallel guesses queue on the lock and each re-checks `live`,
      // so no more than `attemptsLeft` guesses are ever compared and exactly one right guess wins.
      const matches = sql`${otpCodes.codeHash} = ${codeHash}`;
      const guessed = await this.db
        .update(otpCodes)
        .set({ attemptsLeft: sql`case when ${matches} then 0 else ${otpCodes.attemptsLeft} - 1 end` })
        .where(live)
        .returning({ matched: sql<boolean>`${matches}` });
      const row = guessed[0];
      if (!row) return "none";
      return row.matched ? "ok" : "mismatch";
    });
  }

  /** Deletes up to `limit` expired or exhausted codes, for the scheduled cleanup. Returns the count. */
  purgeExpired(now: Date, limit = 1000): Promise<number> {
    return guardStorage(async () => {
      const dead = this.db
        .select({ principalId: otpCodes.principalId })
        .from(otpCodes)
        .where(or(lte(otpCodes.expiresAt, now), lte(otpCodes.attemptsLeft, 0)))
        .limit(limit);
      const deleted = await this.db
        .delete(otpCodes)
        .where(
          and(inArray(otpCodes.principalId, dead), or(lte(otpCodes.expiresAt, now), lte(otpCodes.attemptsLeft, 0))),
        )
        .returning({ realm: otpCodes.realm });
      return deleted.length;
    });
  }
}
