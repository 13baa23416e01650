import type { SessionStage } from "@gatehouse/core";
import { sql } from "drizzle-orm";
import { boolean, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { principals } from "./identity.ts";

/** Server-side sessions. `secret_hash` is SHA-256 of the token's secret; the token itself is never stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    realm: text("realm").notNull(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull(),
    createdAt: timestamptz("created_at").notNull(),
    lastActivityAt: timestamptz("last_activity_at").notNull(),
    idleExpiresAt: timestamptz("idle_expires_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    rememberMe: boolean("remember_me").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    // How far sign-in went (second factor, enrolment); the guard admits partial stages to few routes.
    stage: text("stage").$type<SessionStage>().notNull().default("full"),
    // Last proof of identity in this session (sign-in or re-authentication): step-up checks it.
    authenticatedAt: timestamptz("authenticated_at").notNull().default(sql`now()`),
    // Privileges changed: the next request gets a new token (SPEC §2).
    rotationDue: boolean("rotation_due").notNull().default(false),
  },
  (t) => [
    // Listing and revoking one principal's sessions in one realm.
    index("sessions_realm_principal_created_idx").on(t.realm, t.principalId, t.createdAt),
    // Cleanup of expired sessions (either deadline).
    index("sessions_expires_at_idx").on(t.expiresAt),
    index("sessions_idle_expires_at_idx").on(t.idleExpiresAt),
  ],
);
