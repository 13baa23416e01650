import type { AuditFilter, AuditLogReader, AuditSink, SecurityEvent, StoredAuditEvent } from "@gatehouse/core";
import { and, desc, eq, gte, inArray, lt, lte, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { auditEvents } from "../db/schema/audit.ts";
import { guardStorage } from "../db/storage-errors.ts";

/**
 * The audit log table. `record` only ever inserts (the table refuses updates and deletes);
 * `query` pages newest first with a keyset cursor (the id of the last event seen), so pages stay
 * stable while new events arrive and cost one index range scan however deep the page.
 */
export class PgAuditStore implements AuditSink, AuditLogReader {
  constructor(private readonly db: Db) {}

  record(event: SecurityEvent): Promise<void> {
    return guardStorage(async () => {
      await this.db.insert(auditEvents).values(event);
    });
  }

  query(filter: AuditFilter, page: { beforeId?: number | undefined; limit: number }) {
    return guardStorage(async () => {
      const conditions: SQL[] = [];
      if (filter.realm) conditions.push(eq(auditEvents.realm, filter.realm));
      if (filter.principalId) conditions.push(eq(auditEvents.principalId, filter.principalId));
      if (filter.types?.length) conditions.push(inArray(auditEvents.type, filter.types));
      if (filter.from) conditions.push(gte(auditEvents.occurredAt, filter.from));
      if (filter.to) conditions.push(lte(auditEvents.occurredAt, filter.to));
      if (page.beforeId !== undefined) conditions.push(lt(auditEvents.id, page.beforeId));
      const rows = await this.db
        .select()
        .from(auditEvents)
        .where(and(...conditions))
        .orderBy(desc(auditEvents.id))
        .limit(page.limit + 1);
      const events = rows.slice(0, page.limit).map((row) => ({ ...row, id: Number(row.id) }) as StoredAuditEvent);
      const last = events.at(-1);
      return { events, nextBeforeId: rows.length > page.limit && last ? last.id : null };
    });
  }
}
