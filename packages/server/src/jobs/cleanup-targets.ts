import { count, inArray, lte } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { resetTokens } from "../db/schema/reset-tokens.ts";
import { sessions } from "../db/schema/sessions.ts";
import { guardStorage } from "../db/storage-errors.ts";
import { PgOtpStore } from "../stores/pg-otp-store.ts";
import { PgThrottleStore } from "../stores/pg-throttle-store.ts";
import { sessionEndedAt } from "../stores/session-liveness.ts";

/**
 * One kind of expired row the cleanup job removes. `deleteBatch` deletes at most `limit` rows in
 * ONE statement (`DELETE … WHERE key IN (SELECT key … LIMIT n)`), so no statement holds many row
 * locks or runs long, and logins and validations interleave between batches.
 * Another table is one more entry in `defaultCleanupTargets`.
 */
export interface CleanupTarget {
  /** The key under which the job reports this target's count. */
  name: string;
  deleteBatch(db: Db, now: Date, limit: number): Promise<number>;
  /** How many rows are expired at `now` (a progress bar's total); optional. */
  countExpired?(db: Db, now: Date): Promise<number>;
}

/** Sessions past either deadline (the absolute one or the idle one): exactly those core's `isLive` refuses. */
export const expiredSessions: CleanupTarget = {
  name: "sessions",
  countExpired: (db, now) =>
    guardStorage(async () => {
      const [row] = await db.select({ value: count() }).from(sessions).where(sessionEndedAt(now));
      return Number(row?.value ?? 0);
    }),
  deleteBatch: (db, now, limit) =>
    guardStorage(async () => {
      const batch = db.select({ id: sessions.id }).from(sessions).where(sessionEndedAt(now)).limit(limit);
      const deleted = await db.delete(sessions).where(inArray(sessions.id, batch)).returning({ id: sessions.id });
      return deleted.length;
    }),
};

export const expiredResetTokens: CleanupTarget = {
  name: "resetTokens",
  countExpired: (db, now) =>
    guardStorage(async () => {
      const [row] = await db.select({ value: count() }).from(resetTokens).where(lte(resetTokens.expiresAt, now));
      return Number(row?.value ?? 0);
    }),
  deleteBatch: (db, now, limit) =>
    guardStorage(async () => {
      const batch = db
        .select({ tokenHash: resetTokens.tokenHash })
        .from(resetTokens)
        .where(lte(resetTokens.expiresAt, now))
        .limit(limit);
      const deleted = await db
        .delete(resetTokens)
        .where(inArray(resetTokens.tokenHash, batch))
        .returning({ tokenHash: resetTokens.tokenHash });
      return deleted.length;
    }),
};

/** One-time sign-in codes past their 10 minutes or out of attempts. */
export const expiredOtpCodes: CleanupTarget = {
  name: "otpCodes",
  deleteBatch: (db, now, limit) => new PgOtpStore(db).purgeExpired(now, limit),
};

/** Database throttle counters and single-use claims (CAPTCHA solutions) past their window; Redis keys expire by TTL. */
export const expiredThrottleRows: CleanupTarget = {
  name: "throttleRows",
  deleteBatch: (db, now, limit) => new PgThrottleStore(db).purgeExpired(now, limit),
};

export const defaultCleanupTargets: readonly CleanupTarget[] = [
  expiredSessions,
  expiredResetTokens,
  expiredOtpCodes,
  expiredThrottleRows,
];
