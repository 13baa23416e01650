import { index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { principals } from "./identity.ts";

/**
 * Abuse-protection counters (used when REDIS_URL is not set). Keys hold hashes, never emails or secrets.
 * Each update is one `INSERT … ON CONFLICT DO UPDATE … RETURNING`.
 */
export const throttleCounters = pgTable(
  "throttle_counters",
  {
    key: text("key").primaryKey(),
    count: integer("count").notNull(),
    lastAt: timestamptz("last_at").notNull(),
    // The last event before \`last_at\`, so a reservation given back (ThrottleStore.release) can restore it.
    previousAt: timestamptz("previous_at"),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (t) => [index("throttle_counters_expires_at_idx").on(t.expiresAt)],
);

/** Single-use markers, e.g. the hash of a solved CAPTCHA challenge, so no solution verifies twice. */
export const singleUseClaims = pgTable(
  "single_use_claims",
  {
    key: text("key").primaryKey(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (t) => [index("single_use_claims_expires_at_idx").on(t.expiresAt)],
);

/** One live emailed sign-in code per principal and realm; `code_hash` is an HMAC, never the code. */
export const otpCodes = pgTable(
  "otp_codes",
  {
    realm: text("realm").notNull(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: timestamptz("created_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    attemptsLeft: integer("attempts_left").notNull(),
  },
  (t) => [primaryKey({ columns: [t.realm, t.principalId] }), index("otp_codes_expires_at_idx").on(t.expiresAt)],
);
