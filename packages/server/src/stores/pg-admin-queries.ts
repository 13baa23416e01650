import type { Principal, SessionRecord } from "@gatehouse/core";
import { and, count, desc, eq, gte, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { auditEvents } from "../db/schema/audit.ts";
import { principals } from "../db/schema/identity.ts";
import { sessions } from "../db/schema/sessions.ts";
import { guardStorage } from "../db/storage-errors.ts";
import { sessionLiveAt } from "./session-liveness.ts";

export interface PageRequest {
  page: number;
  pageSize: number;
}

/** `%` and `_` typed by an admin are searched for literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Read models of the admin console. Each list costs two queries (count and page) whatever the
 * page size: no per-row lookups.
 */
export class PgAdminQueries {
  constructor(private readonly db: Db) {}

  listPrincipals(filter: { realm?: string | undefined; search?: string | undefined }, page: PageRequest) {
    return guardStorage(async () => {
      const conditions: SQL[] = [];
      if (filter.realm) conditions.push(eq(principals.realm, filter.realm));
      if (filter.search) {
        const pattern = likePattern(filter.search);
        conditions.push(or(ilike(principals.email, pattern), ilike(principals.displayName, pattern)) as SQL);
      }
      const where = and(...conditions);
      const [total] = await this.db.select({ value: count() }).from(principals).where(where);
      const results: Principal[] = await this.db
        .select()
        .from(principals)
        .where(where)
        .orderBy(desc(principals.createdAt), desc(principals.id))
        .limit(page.pageSize)
        .offset((page.page - 1) * page.pageSize);
      return { count: Number(total?.value ?? 0), results };
    });
  }

  /** Sessions live at `now` (core's `isLive`, in SQL), newest first, with their principal's email. */
  listActiveSessions(filter: { realm?: string | undefined; now: Date }, page: PageRequest) {
    return guardStorage(async () => {
      const conditions: SQL[] = [sessionLiveAt(filter.now)];
      if (filter.realm) conditions.push(eq(sessions.realm, filter.realm));
      const where = and(...conditions);
      const [total] = await this.db.select({ value: count() }).from(sessions).where(where);
      const rows = await this.db
        .select({ session: sessions, email: principals.email })
        .from(sessions)
        .innerJoin(principals, eq(principals.id, sessions.principalId))
        .where(where)
        .orderBy(desc(sessions.createdAt), desc(sessions.id))
        .limit(page.pageSize)
        .offset((page.page - 1) * page.pageSize);
      const results: Array<{ session: SessionRecord; email: string }> = rows;
      return { count: Number(total?.value ?? 0), results };
    });
  }

  /** Live sessions per realm (one grouped query). */
  activeSessionsByRealm(now: Date) {
    return guardStorage(async () => {
      const rows = await this.db
        .select({ realm: sessions.realm, value: count() })
        .from(sessions)
        .where(sessionLiveAt(now))
        .groupBy(sessions.realm);
      return rows.map((row) => ({ realm: row.realm, count: Number(row.value) }));
    });
  }

  /** Events of the given types since `since`, counted per type and per hour or day (UTC; one grouped query). */
  countEventsByBucket(filter: { types: readonly string[]; since: Date; bucket: "hour" | "day" }) {
    return guardStorage(async () => {
      // The unit is one of two literals (typed), inlined so GROUP BY matches the selected expression.
      const unit = sql.raw(filter.bucket === "hour" ? "'hour'" : "'day'");
      const bucket = sql<string>`to_char(date_trunc(${unit}, ${auditEvents.occurredAt} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
      const rows = await this.db
        .select({ bucket, type: auditEvents.type, value: count() })
        .from(auditEvents)
        .where(and(gte(auditEvents.occurredAt, filter.since), inArray(auditEvents.type, [...filter.types])))
        .groupBy(bucket, auditEvents.type);
      return rows.map((row) => ({
        bucketStart: new Date(row.bucket),
        type: row.type,
        count: Number(row.value),
      }));
    });
  }
}
