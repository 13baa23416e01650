// ChamaHub's tables. Its own migration set (packages/chamahub/drizzle) and journal table
// (`chamahub_migrations`), so the server's migrations never conflict with it. Money is integer cents
// in `bigint` columns (read back as exact JS numbers: 2^53 cents is far beyond any chama), never a float.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const cents = (name: string) => bigint(name, { mode: "number" });

/**
 * A savings group. The money totals live on this row and nowhere else: every write that changes one
 * updates it in the same transaction (and bumps `version`, which the detail's ETag is made of).
 */
export const chamas = pgTable(
  "chamas",
  {
    id: uuid("id").primaryKey(),
    name: varchar("name", { length: 100 }).notNull(),
    description: text("description").notNull().default(""),
    rules: text("rules").notNull().default(""),
    /** Annual interest rate in basis points (0–10000 = 0–100 %). */
    interestRateBp: integer("interest_rate_bp").notNull().default(0),
    createdBy: uuid("created_by").notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: timestamptz("created_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
    version: integer("version").notNull().default(1),
    memberCount: integer("member_count").notNull().default(0),
    /** Sum of approved contributions. */
    totalContributionsCents: cents("total_contributions_cents").notNull().default(0),
    approvedContributions: integer("approved_contributions").notNull().default(0),
    /** Cash the chama holds: approved contributions − disbursed loans + repayments. Never below zero. */
    availableBalanceCents: cents("available_balance_cents").notNull().default(0),
    /** What disbursed loans still owe (principal plus interest, less repayments). */
    loansOutstandingCents: cents("loans_outstanding_cents").notNull().default(0),
    /** Interest credited to members' approved contributions by the monthly job. */
    interestPaidCents: cents("interest_paid_cents").notNull().default(0),
  },
  (t) => [
    index("chamas_name_lower_idx").on(sql`lower(${t.name})`),
    index("chamas_created_at_idx").on(t.createdAt),
    // The last line of defence behind the conditional UPDATE that disburses a loan.
    check("chamas_balance_not_negative", sql`${t.availableBalanceCents} >= 0`),
  ],
);

export const members = pgTable(
  "chama_members",
  {
    id: uuid("id").primaryKey(),
    chamaId: uuid("chama_id")
      .notNull()
      .references(() => chamas.id, { onDelete: "cascade" }),
    /** The user-realm principal (the session core's id; no foreign key across packages). */
    principalId: uuid("principal_id").notNull(),
    role: varchar("role", { length: 20 }).notNull(),
    joinedAt: timestamptz("joined_at").notNull(),
    active: boolean("active").notNull().default(true),
    leftAt: timestamptz("left_at"),
  },
  (t) => [
    // One active membership per user per chama.
    uniqueIndex("chama_members_active_uq").on(t.chamaId, t.principalId).where(sql`${t.active}`),
    index("chama_members_principal_idx").on(t.principalId, t.chamaId),
  ],
);

export const contributions = pgTable(
  "chama_contributions",
  {
    id: uuid("id").primaryKey(),
    chamaId: uuid("chama_id")
      .notNull()
      .references(() => chamas.id, { onDelete: "cascade" }),
    memberId: uuid("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    amountCents: cents("amount_cents").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    status: varchar("status", { length: 10 }).notNull().default("pending"),
    recordedBy: uuid("recorded_by").notNull(),
    createdAt: timestamptz("created_at").notNull(),
    decidedBy: uuid("decided_by"),
    decidedAt: timestamptz("decided_at"),
    interestEarnedCents: cents("interest_earned_cents").notNull().default(0),
    interestAppliedAt: timestamptz("interest_applied_at"),
    /** The first day of the last month whose interest was paid: what makes the monthly job idempotent. */
    interestMonth: date("interest_month", { mode: "string" }),
  },
  (t) => [
    // The seed's indexes: (member, date), (status, date), and a partial one on pending.
    index("chama_contributions_member_date_idx").on(t.memberId, t.date),
    index("chama_contributions_status_date_idx").on(t.status, t.date),
    index("chama_contributions_pending_idx").on(t.date).where(sql`${t.status} = 'pending'`),
    index("chama_contributions_chama_date_idx").on(t.chamaId, t.date),
    check("chama_contributions_amount_positive", sql`${t.amountCents} > 0`),
  ],
);

export const loans = pgTable(
  "chama_loans",
  {
    id: uuid("id").primaryKey(),
    chamaId: uuid("chama_id")
      .notNull()
      .references(() => chamas.id, { onDelete: "cascade" }),
    memberId: uuid("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    principalCents: cents("principal_cents").notNull(),
    annualRateBp: integer("annual_rate_bp").notNull(),
    termMonths: integer("term_months").notNull(),
    /** Principal plus flat interest over the term, fixed when the loan is requested. */
    totalDueCents: cents("total_due_cents").notNull(),
    repaidCents: cents("repaid_cents").notNull().default(0),
    status: varchar("status", { length: 10 }).notNull().default("requested"),
    purpose: varchar("purpose", { length: 500 }).notNull().default(""),
    requestedAt: timestamptz("requested_at").notNull(),
    decidedBy: uuid("decided_by"),
    decidedAt: timestamptz("decided_at"),
    disbursedBy: uuid("disbursed_by"),
    disbursedAt: timestamptz("disbursed_at"),
    repaidAt: timestamptz("repaid_at"),
  },
  (t) => [
    index("chama_loans_chama_status_idx").on(t.chamaId, t.status),
    index("chama_loans_member_idx").on(t.memberId),
  ],
);

export const repayments = pgTable(
  "chama_loan_repayments",
  {
    id: uuid("id").primaryKey(),
    loanId: uuid("loan_id")
      .notNull()
      .references(() => loans.id, { onDelete: "cascade" }),
    amountCents: cents("amount_cents").notNull(),
    paidAt: timestamptz("paid_at").notNull(),
    recordedBy: uuid("recorded_by").notNull(),
  },
  (t) => [index("chama_loan_repayments_loan_idx").on(t.loanId, t.paidAt)],
);

/**
 * The durable job queue (docs/adr/0001-chamahub-job-queue.md): claimed with `FOR UPDATE SKIP LOCKED`,
 * retried with backoff, and de-duplicated by `dedupeKey` (one interest run per month across nodes).
 */
export const jobs = pgTable(
  "chama_jobs",
  {
    id: uuid("id").primaryKey(),
    type: varchar("type", { length: 40 }).notNull(),
    payload: jsonb("payload").notNull().$type<Record<string, unknown>>(),
    status: varchar("status", { length: 10 }).notNull().default("queued"),
    dedupeKey: varchar("dedupe_key", { length: 100 }),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    runAt: timestamptz("run_at").notNull(),
    lockedAt: timestamptz("locked_at"),
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total").notNull().default(0),
    result: jsonb("result").$type<Record<string, unknown>>(),
    lastError: text("last_error"),
    /** `realm:principalId` of whoever started it; null for scheduled runs. */
    startedBy: varchar("started_by", { length: 100 }),
    createdAt: timestamptz("created_at").notNull(),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    uniqueIndex("chama_jobs_dedupe_uq").on(t.dedupeKey),
    index("chama_jobs_queued_idx").on(t.runAt).where(sql`${t.status} = 'queued'`),
  ],
);

export const chamaSchema = { chamas, members, contributions, loans, repayments, jobs };
