import { randomUUID } from "node:crypto";
import { GatehouseError } from "@gatehouse/core";
import { and, desc, eq, gte, sql } from "drizzle-orm";
import { membershipOf, requireActive, requireOfficer } from "./access.ts";
import type { VersionedCache } from "./cache.ts";
import { chamas, loans, members, repayments } from "./db/schema.ts";
import { recordChange } from "./events.ts";
import { formatCents, formatRate, parseCents } from "./money.ts";
import { countAll, offsetOf, type PageRequest } from "./pages.ts";
import type { Caller, ChamaDb, ChamaHubDeps, RequestInfo } from "./ports.ts";
import { type LoanStatus, loanSchedule, loanTotalDue } from "./rules.ts";
import { personView } from "./views.ts";

type LoanRow = typeof loans.$inferSelect;

const toLoan = (l: LoanRow, person?: Parameters<typeof personView>[0]) => ({
  id: l.id,
  memberId: l.memberId,
  member: personView(person),
  principal: formatCents(l.principalCents),
  annualRate: formatRate(l.annualRateBp),
  termMonths: l.termMonths,
  totalDue: formatCents(l.totalDueCents),
  repaid: formatCents(l.repaidCents),
  outstanding: formatCents(l.status === "disbursed" ? l.totalDueCents - l.repaidCents : 0),
  status: l.status as LoanStatus,
  purpose: l.purpose,
  requestedAt: l.requestedAt.toISOString(),
  decidedAt: l.decidedAt?.toISOString() ?? null,
  disbursedAt: l.disbursedAt?.toISOString() ?? null,
  repaidAt: l.repaidAt?.toISOString() ?? null,
});

/** `not_found` when the loan is not this chama's, `invalid_state` when it is but not in `status`. */
async function explainMiss(db: ChamaDb, chamaId: string, loanId: string, reason: string): Promise<never> {
  const [loan] = await db
    .select({ status: loans.status })
    .from(loans)
    .where(and(eq(loans.id, loanId), eq(loans.chamaId, chamaId)));
  if (!loan) throw new GatehouseError("not_found");
  throw new GatehouseError("invalid_state", { details: { reason, status: loan.status } });
}

export function loanUseCases(deps: ChamaHubDeps, cache: VersionedCache<unknown>) {
  const { db, clock } = deps;
  const bump = { version: sql`${chamas.version} + 1` };
  const after = async (
    meta: RequestInfo | null,
    caller: Caller,
    type: Parameters<typeof recordChange>[3],
    details: Record<string, unknown>,
  ) => {
    cache.invalidate(String(details.chamaId));
    await recordChange(deps, meta, caller, type, details);
  };

  return {
    async request(
      caller: Caller,
      meta: RequestInfo | null,
      chamaId: string,
      input: { amount: string | number; termMonths: number; purpose?: string | undefined },
    ) {
      const membership = await membershipOf(db, chamaId, caller.principalId);
      requireActive(membership.chama);
      const principalCents = parseCents(input.amount);
      if (principalCents <= 0)
        throw new GatehouseError("validation_failed", {
          details: [{ location: "body", path: "/amount", problem: "too_small" }],
        });
      const rate = membership.chama.interestRateBp;
      const [loan] = await db
        .insert(loans)
        .values({
          id: randomUUID(),
          chamaId,
          memberId: membership.memberId,
          principalCents,
          annualRateBp: rate,
          termMonths: input.termMonths,
          totalDueCents: loanTotalDue(principalCents, rate, input.termMonths),
          purpose: input.purpose ?? "",
          requestedAt: clock.now(),
        })
        .returning();
      if (!loan) throw new Error("insert returned nothing");
      await after(meta, caller, "chama_loan_requested", { chamaId, loanId: loan.id, principalCents });
      return toLoan(loan);
    },

    /** Loans of the chama, newest first (optionally by status): 4 queries whatever the page size. */
    async list(caller: Caller, chamaId: string, filter: { status?: LoanStatus | undefined }, page: PageRequest) {
      await membershipOf(db, chamaId, caller.principalId);
      const where = and(eq(loans.chamaId, chamaId), filter.status ? eq(loans.status, filter.status) : undefined);
      const [counted] = await db.select({ count: countAll }).from(loans).where(where);
      const rows = await db
        .select({ loan: loans, principalId: members.principalId })
        .from(loans)
        .innerJoin(members, eq(members.id, loans.memberId))
        .where(where)
        .orderBy(desc(loans.requestedAt), desc(loans.id))
        .limit(page.pageSize)
        .offset(offsetOf(page));
      const people = await deps.people.byIds([...new Set(rows.map((r) => r.principalId))]);
      return { count: counted?.count ?? 0, results: rows.map((r) => toLoan(r.loan, people.get(r.principalId))) };
    },

    async decide(
      caller: Caller,
      meta: RequestInfo | null,
      chamaId: string,
      loanId: string,
      decision: "approve" | "reject",
    ) {
      const membership = await membershipOf(db, chamaId, caller.principalId);
      requireOfficer(membership);
      requireActive(membership.chama);
      const [loan] = await db
        .update(loans)
        .set({
          status: decision === "approve" ? "approved" : "rejected",
          decidedBy: caller.principalId,
          decidedAt: clock.now(),
        })
        .where(and(eq(loans.id, loanId), eq(loans.chamaId, chamaId), eq(loans.status, "requested")))
        .returning();
      if (!loan) return explainMiss(db, chamaId, loanId, "not_requested");
      await after(meta, caller, "chama_loan_decided", { chamaId, loanId, decision });
      return toLoan(loan);
    },

    /**
     * Pays out an approved loan. One transaction: the loan moves approved → disbursed (its row lock
     * stops a double payout), then one conditional UPDATE takes the principal from the balance only if
     * the balance covers it. Concurrent disbursements queue on the chama row and each re-checks the
     * balance it sees after the previous commit, so the balance never goes below zero.
     */
    async disburse(caller: Caller, meta: RequestInfo | null, chamaId: string, loanId: string) {
      const membership = await membershipOf(db, chamaId, caller.principalId);
      requireOfficer(membership);
      requireActive(membership.chama);
      const loan = await db.transaction(async (tx) => {
        const [moved] = await tx
          .update(loans)
          .set({ status: "disbursed", disbursedBy: caller.principalId, disbursedAt: clock.now() })
          .where(and(eq(loans.id, loanId), eq(loans.chamaId, chamaId), eq(loans.status, "approved")))
          .returning();
        if (!moved) return null;
        const [paid] = await tx
          .update(chamas)
          .set({
            availableBalanceCents: sql`${chamas.availableBalanceCents} - ${moved.principalCents}`,
            loansOutstandingCents: sql`${chamas.loansOutstandingCents} + ${moved.totalDueCents}`,
            ...bump,
          })
          .where(and(eq(chamas.id, chamaId), gte(chamas.availableBalanceCents, moved.principalCents)))
          .returning({ id: chamas.id });
        if (!paid) throw new GatehouseError("insufficient_funds");
        return moved;
      });
      if (!loan) return explainMiss(db, chamaId, loanId, "not_approved");
      await after(meta, caller, "chama_loan_disbursed", { chamaId, loanId, principalCents: loan.principalCents });
      return toLoan(loan);
    },

    /** Records a repayment (never more than is owed); the last one marks the loan repaid. */
    async repay(
      caller: Caller,
      meta: RequestInfo | null,
      chamaId: string,
      loanId: string,
      input: { amount: string | number },
    ) {
      const membership = await membershipOf(db, chamaId, caller.principalId);
      requireOfficer(membership);
      const amountCents = parseCents(input.amount);
      if (amountCents <= 0)
        throw new GatehouseError("validation_failed", {
          details: [{ location: "body", path: "/amount", problem: "too_small" }],
        });
      const now = clock.now();
      const loan = await db.transaction(async (tx) => {
        const [updated] = await tx
          .update(loans)
          .set({
            repaidCents: sql`${loans.repaidCents} + ${amountCents}`,
            status: sql`case when ${loans.repaidCents} + ${amountCents} >= ${loans.totalDueCents} then 'repaid' else ${loans.status} end`,
            repaidAt: sql`case when ${loans.repaidCents} + ${amountCents} >= ${loans.totalDueCents} then ${now.toISOString()}::timestamptz else null end`,
          })
          .where(
            and(
              eq(loans.id, loanId),
              eq(loans.chamaId, chamaId),
              eq(loans.status, "disbursed"),
              sql`${loans.repaidCents} + ${amountCents} <= ${loans.totalDueCents}`,
            ),
          )
          .returning();
        if (!updated) return null;
        await tx
          .insert(repayments)
          .values({ id: randomUUID(), loanId, amountCents, paidAt: now, recordedBy: caller.principalId });
        await tx
          .update(chamas)
          .set({
            availableBalanceCents: sql`${chamas.availableBalanceCents} + ${amountCents}`,
            loansOutstandingCents: sql`${chamas.loansOutstandingCents} - ${amountCents}`,
            ...bump,
          })
          .where(eq(chamas.id, chamaId));
        return updated;
      });
      if (!loan) return explainMiss(db, chamaId, loanId, "not_disbursed_or_overpaid");
      await after(meta, caller, "chama_loan_repayment", { chamaId, loanId, amountCents });
      return toLoan(loan);
    },

    /** The installment plan and what has been paid against it, in order. */
    async schedule(caller: Caller, chamaId: string, loanId: string) {
      await membershipOf(db, chamaId, caller.principalId);
      const [loan] = await db
        .select()
        .from(loans)
        .where(and(eq(loans.id, loanId), eq(loans.chamaId, chamaId)));
      if (!loan) throw new GatehouseError("not_found");
      let paid = loan.repaidCents;
      const installments = loanSchedule(loan.totalDueCents, loan.termMonths, loan.disbursedAt ?? loan.requestedAt).map(
        (i) => {
          const covered = Math.min(paid, i.amountCents);
          paid -= covered;
          return {
            number: i.number,
            dueDate: i.dueDate,
            amount: formatCents(i.amountCents),
            paid: formatCents(covered),
          };
        },
      );
      return { loan: toLoan(loan), installments };
    },
  };
}
