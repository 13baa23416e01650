import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { principals } from "./identity.ts";

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
