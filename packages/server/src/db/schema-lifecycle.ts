import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { principals } from "./schema.ts";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Password-reset tokens. Only SHA-256 of the emailed secret is stored (the primary key), so a
 * database dump cannot be turned into working links. At most one live token per principal and realm.
 */
export const resetTokens = pgTable(
  "reset_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    realm: text("realm").notNull(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (t) => [
    index("reset_tokens_realm_principal_idx").on(t.realm, t.principalId),
    index("reset_tokens_expires_at_idx").on(t.expiresAt),
  ],
);

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
