import type { ThrottleCount, ThrottleStore } from "@gatehouse/core";
import { and, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { singleUseClaims, throttleCounters } from "../db/schema.ts";
import { guardStorage } from "../db/storage-errors.ts";

const timestamp = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/** Throttle counters in PostgreSQL/PGlite. Every change is one atomic statement, so parallel hits never lose a count. */
export class PgThrottleStore implements ThrottleStore {
  constructor(private readonly db: Db) {}

  hit(key: string, now: Date, windowSeconds: number): Promise<ThrottleCount> {
    return guardStorage(async () => {
      const rows = await this.db
        .insert(throttleCounters)
        .values({ key, count: 1, lastAt: now, expiresAt: new Date(now.getTime() + windowSeconds * 1000) })
        .onConflictDoUpdate({
          target: throttleCounters.key,
          set: {
            // An expired counter starts over instead of being deleted first (still one statement).
            count: sql`case when ${throttleCounters.expiresAt} <= excluded.last_at then 1 else ${throttleCounters.count} + 1 end`,
            lastAt: sql`excluded.last_at`,
            expiresAt: sql`excluded.expires_at`,
          },
        })
        .returning({ count: throttleCounters.count, lastAt: throttleCounters.lastAt });
      const row = rows[0];
      if (!row) throw new Error("throttle upsert returned no row");
      return { count: Number(row.count), lastAt: row.lastAt };
    });
  }

  peek(key: string, now: Date): Promise<ThrottleCount | null> {
    return guardStorage(async () => {
      const rows = await this.db
        .select({ count: throttleCounters.count, lastAt: throttleCounters.lastAt })
        .from(throttleCounters)
        .where(and(eq(throttleCounters.key, key), gt(throttleCounters.expiresAt, now)))
        .limit(1);
      const row = rows[0];
      return row ? { count: Number(row.count), lastAt: row.lastAt } : null;
    });
  }

  claimOnce(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    return guardStorage(async () => {
      // Inserted, or taken over from an expired claim; a live claim makes the statement return nothing.
      const rows = await this.db
        .insert(singleUseClaims)
        .values({ key, expiresAt })
        .onConflictDoUpdate({
          target: singleUseClaims.key,
          set: { expiresAt: sql`excluded.expires_at` },
          setWhere: sql`${singleUseClaims.expiresAt} <= ${timestamp(now)}`,
        })
        .returning({ key: singleUseClaims.key });
      return rows.length === 1;
    });
  }

  /**
   * Deletes up to `limit` expired counters and claims (each a bounded batch, so it never blocks logins
   * for long). For the scheduled cleanup; Redis needs none (its keys carry a TTL). Returns the count.
   */
  purgeExpired(now: Date, limit = 1000): Promise<number> {
    return guardStorage(async () => {
      const counters = await this.db
        .delete(throttleCounters)
        .where(
          inArray(
            throttleCounters.key,
            this.db
              .select({ key: throttleCounters.key })
              .from(throttleCounters)
              .where(lte(throttleCounters.expiresAt, now))
              .limit(limit),
          ),
        )
        .returning({ key: throttleCounters.key });
      const claims = await this.db
        .delete(singleUseClaims)
        .where(
          inArray(
            singleUseClaims.key,
            this.db
              .select({ key: singleUseClaims.key })
              .from(singleUseClaims)
              .where(lte(singleUseClaims.expiresAt, now))
              .limit(limit),
          ),
        )
        .returning({ key: singleUseClaims.key });
      return counters.length + claims.length;
    });
  }
}
