import { bigserial, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";

/**
 * The audit log: append-only (a trigger in the migration refuses UPDATE and DELETE). No foreign key
 * to principals, so the history outlives the account. `id` orders events and is the pagination cursor.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    occurredAt: timestamptz("occurred_at").notNull(),
    type: text("type").notNull(),
    realm: text("realm"),
    principalId: uuid("principal_id"),
    actor: text("actor"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    sessionIdHash: text("session_id_hash"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    index("audit_events_occurred_at_idx").on(t.occurredAt),
    index("audit_events_principal_idx").on(t.principalId, t.id),
    index("audit_events_type_idx").on(t.type, t.id),
  ],
);
