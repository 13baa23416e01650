import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { principals } from "./identity.ts";

/**
 * Roles are data: a name and the permissions it grants (names from the permission catalog). Built-in
 * roles (owner, security, support, viewer) are inserted at boot when missing; owner grants every
 * registered permission whatever its row says (docs/admin-access.md).
 */
export const adminRoles = pgTable("admin_roles", {
  id: uuid("id").primaryKey(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  builtin: boolean("builtin").notNull().default(false),
  permissions: text("permissions").array().notNull().default(sql`'{}'::text[]`),
  createdAt: timestamptz("created_at").notNull().default(sql`now()`),
  updatedAt: timestamptz("updated_at").notNull().default(sql`now()`),
});

/** Which admin holds which role. A role still granted cannot be deleted (restrict). */
export const adminRoleGrants = pgTable(
  "admin_role_grants",
  {
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    roleId: uuid("role_id")
      .notNull()
      .references(() => adminRoles.id, { onDelete: "restrict" }),
    grantedAt: timestamptz("granted_at").notNull().default(sql`now()`),
    grantedBy: text("granted_by"),
  },
  (t) => [primaryKey({ columns: [t.principalId, t.roleId] }), index("admin_role_grants_role_idx").on(t.roleId)],
);

/**
 * One TOTP factor per principal. The secret is stored encrypted (AES-256-GCM, key derived from
 * SESSION_SECRET). `confirmed_at` is null while enrolment awaits its first code. `last_used_step` is
 * the 30-second step of the last accepted code: a code is accepted only for a later step (no replay).
 */
export const totpFactors = pgTable("totp_factors", {
  principalId: uuid("principal_id")
    .primaryKey()
    .references(() => principals.id, { onDelete: "cascade" }),
  secretCiphertext: text("secret_ciphertext").notNull(),
  confirmedAt: timestamptz("confirmed_at"),
  lastUsedStep: integer("last_used_step").notNull().default(0),
  createdAt: timestamptz("created_at").notNull().default(sql`now()`),
});

/** Single-use recovery codes, stored as SHA-256 hashes; consumed with DELETE … RETURNING. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: timestamptz("created_at").notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex("recovery_codes_principal_hash_key").on(t.principalId, t.codeHash)],
);
