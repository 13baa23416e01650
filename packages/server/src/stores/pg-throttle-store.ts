import {
  type DelayGate,
  gateDelaySeconds,
  type Released,
  type Reservation,
  type ThrottleCount,
  type ThrottleStore,
} from "@gatehouse/core";
import { and, eq, gt, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { singleUseClaims, throttleCounters } from "../db/schema/abuse.ts";
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
            previousAt: sql`case when ${throttleCounters.expiresAt} <= excluded.last_at then null else ${throttleCounters.lastAt} end`,
            expiresAt: sql`excluded.expires_at`,
          },
        })
        .returning({ count: throttleCounters.count, lastAt: throttleCounters.lastAt });
      const row = rows[0];
      if (!row) throw new Error("throttle upsert returned no row");
      return { count: Number(row.count), lastAt: row.lastAt };
    });
  }

  reserve(key: string, now: Date, windowSeconds: number, gate?: DelayGate): Promise<Reservation> {
    return guardStorage(async () => {
      const t = throttleCounters;
      const expired = sql`${t.expiresAt} <= excluded.last_at`;
      const newCount = sql`(case when ${expired} then 1 else ${t.count} + 1 end)`;
      // One statement: the gate check, the count and the new expiry are decided under the row lock.
      const rows = await this.db
        .insert(t)
        .values({
          key,
          count: 1,
          lastAt: now,
          previousAt: null,
          expiresAt: new Date(now.getTime() + (windowSeconds + (gate ? gateDelaySeconds(1, gate) : 0)) * 1000),
        })
        .onConflictDoUpdate({
          target: t.key,
          set: {
            count: newCount,
            previousAt: sql`case when ${expired} then null else ${t.lastAt} end`,
            lastAt: sql`excluded.last_at`,
            expiresAt: sql`excluded.last_at + make_interval(secs => ${windowSeconds}::int + ${delaySql(newCount, gate)})`,
          },
          ...(gate
            ? {
                setWhere: sql`${expired} or ${t.count} < ${gate.freeCount}::int or ${t.lastAt} + make_interval(secs => ${delaySql(sql`${t.count}`, gate)}) <= excluded.last_at`,
              }
            : {}),
        })
        .returning({ count: t.count, previousAt: t.previousAt });
      const row = rows[0];
      if (row) return { admitted: true, count: Number(row.count), reservedAt: now, previousLastAt: row.previousAt };
      // Refused by the gate: nothing was written; read the counter only to say how long to wait.
      const current = await this.peek(key, now);
      return { admitted: false, count: current?.count ?? 0, lastAt: current?.lastAt ?? now };
    });
  }

  release(key: string, reservation: Released, windowSeconds: number, gate?: DelayGate): Promise<void> {
    return guardStorage(async () => {
      const t = throttleCounters;
      const { reservedAt, previousLastAt } = reservation;
      const count = sql`greatest(${t.count} - 1, 0)`;
      // Only if no event came after ours: then the last event is the one before ours again, and the
      // counter lives as long as it did before our reservation.
      const ours = sql`${t.lastAt} = ${timestamp(reservedAt)}`;
      const restored = previousLastAt
        ? {
            lastAt: sql`case when ${ours} then ${timestamp(previousLastAt)} else ${t.lastAt} end`,
            expiresAt: sql`case when ${ours} then ${timestamp(previousLastAt)} + make_interval(secs => ${windowSeconds}::int + ${delaySql(count, gate)}) else ${t.expiresAt} end`,
          }
        : {};
      await this.db
        .update(t)
        .set({ count, ...restored })
        .where(eq(t.key, key));
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

  remove(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return Promise.resolve(0);
    return guardStorage(async () => {
      const rows = await this.db
        .delete(throttleCounters)
        .where(inArray(throttleCounters.key, [...keys]))
        .returning({ key: throttleCounters.key });
      return rows.length;
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

/** gateDelaySeconds() in SQL, for a count expression (an int). */
function delaySql(count: SQL, gate: DelayGate | undefined): SQL {
  if (!gate) return sql`0::double precision`;
  const free = sql`${gate.freeCount}::int`;
  return sql`(case when ${count} < ${free} then 0::double precision else least(${gate.maxDelaySeconds}::double precision, power(2::double precision, least(${count} - ${free}, 30))) end)`;
}
