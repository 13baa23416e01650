import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
// Abuse-protection tables live in their own file (issue 4); they reference principals from here.
import { otpCodes, singleUseClaims, throttleCounters } from "./schema-abuse.ts";
import { auditEvents, resetTokens } from "./schema-lifecycle.ts";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Accounts of every realm. A user and an admin with the same email are two rows with two ids: the
 * realm column keeps principals apart, and a third realm needs no new table.
 */
export const principals = pgTable(
  "principals",
  {
    id: uuid("id").primaryKey(),
    realm: text("realm").notNull(),
    email: text("email").notNull(),
    displayName: text("display_name"),
    passwordHash: text("password_hash"),
    disabledAt: timestamptz("disabled_at"),
    // Bumped with every password change or reset: a sign-in checked against an older version keeps no session.
    credentialsVersion: integer("credentials_version").notNull().default(0),
    createdAt: timestamptz("created_at").notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex("principals_realm_email_key").on(t.realm, t.email)],
);

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
  },
  (t) => [
    // Listing and revoking one principal's sessions in one realm.
    index("sessions_realm_principal_created_idx").on(t.realm, t.principalId, t.createdAt),
    // Cleanup of expired sessions (either deadline).
    index("sessions_expires_at_idx").on(t.expiresAt),
    index("sessions_idle_expires_at_idx").on(t.idleExpiresAt),
  ],
);

// Session lifecycle (reset tokens, audit log) and abuse protection (throttle counters, single-use
// claims, one-time codes) keep their tables in their own files.
export { auditEvents, otpCodes, resetTokens, singleUseClaims, throttleCounters };

export const schema = { principals, sessions, resetTokens, auditEvents, throttleCounters, singleUseClaims, otpCodes };
