import { sql } from "drizzle-orm";
import { integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";

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
