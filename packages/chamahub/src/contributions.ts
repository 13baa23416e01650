import { randomUUID } from "node:crypto";
import { GatehouseError } from "@gatehouse/core";
import { and, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { membershipOf, requireActive, requireOfficer } from "./access.ts";
import type { VersionedCache } from "./cache.ts";
import { chamas, contributions, members } from "./db/schema.ts";
import { recordChange } from "./events.ts";
import { formatCents, parseCents } from "./money.ts";
import { countAll, offsetOf, type PageRequest } from "./pages.ts";
import type { Caller, ChamaHubDeps, RequestInfo } from "./ports.ts";
import type { ContributionStatus } from "./rules.ts";
import { personView } from "./views.ts";

export interface ContributionFilter {
  status?: ContributionStatus | undefined;
  memberId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const listColumns = {
  id: contributions.id,
  memberId: contributions.memberId,
  principalId: members.principalId,
  amountCents: contributions.amountCents,
  date: contributions.date,
  status: contributions.status,
  createdAt: contributions.createdAt,
  decidedAt: contributions.decidedAt,
  interestEarnedCents: contributions.interestEarnedCents,
};

interface ListRow {
  id: string;
  memberId: string;
  principalId: string;
  amountCents: number;
  date: string;
  status: string;
  createdAt: Date;
  decidedAt: Date | null;
  interestEarnedCents: number;
}

const toContribution = (r: ListRow, person: Parameters<typeof personView>[0]) => ({
  id: r.id,
  memberId: r.memberId,
  member: personView(person),
  amount: formatCents(r.amountCents),
  date: r.date,
  status: r.status as ContributionStatus,
  createdAt: r.createdAt.toISOString(),
  decidedAt: r.decidedAt?.toISOString() ?? null,
  interestEarned: formatCents(r.interestEarnedCents),
});

export function contributionUseCases(deps: ChamaHubDeps, cache: VersionedCache<unknown>) {
  const { db, clock } = deps;
  return {
    /** A member records their own contribution (pending); an officer may record one for any member. */
    async record(
      caller: Caller,
      meta: RequestInfo | null,
      chamaId: string,
      input: { amount: string | number; date: string; memberId?: string | undefined },
    ) {
      const membership = await membershipOf(db, chamaId, caller.principalId);
      requireActive(membership.chama);
      const amountCents = parseCents(input.amount);
      if (amountCents <= 0)
        throw new GatehouseError("validation_failed", {
          details: [{ location: "body", path: "/amount", problem: "too_small" }],
        });
      let memberId = membership.memberId;
      if (input.memberId && input.memberId !== membership.memberId) {
        requireOfficer(membership);
        const [target] = await db
          .select({ id: members.id })
          .from(members)
          .where(and(eq(members.id, input.memberId), eq(members.chamaId, chamaId), eq(members.active, true)));
        if (!target) throw new GatehouseError("not_found");
        memberId = target.id;
      }
      const id = randomUUID();
      const now = clock.now();
      await db.transaction(async (tx) => {
        await tx.insert(contributions).values({
          id,
          chamaId,
          memberId,
          amountCents,
          date: input.date,
          recordedBy: caller.principalId,
          createdAt: now,
        });
        // Pending contributions change no total, but the detail shows recent ones: a new version.
        await tx
          .update(chamas)
          .set({ version: sql`${chamas.version} + 1` })
          .where(eq(chamas.id, chamaId));
      });
      cache.invalidate(chamaId);
      await recordChange(deps, meta, caller, "chama_contribution_recorded", {
        chamaId,
        contributionId: id,
        amountCents,
      });
      return { id, memberId, amount: formatCents(amountCents), date: input.date, status: "pending" as const };
    },

    /** Contributions of the chama, newest first, filtered: 4 queries whatever the page size. */
    async list(caller: Caller, chamaId: string, filter: ContributionFilter, page: PageRequest) {
      await membershipOf(db, chamaId, caller.principalId);
      const where = and(
        eq(contributions.chamaId, chamaId),
        filter.status ? eq(contributions.status, filter.status) : undefined,
        filter.memberId ? eq(contributions.memberId, filter.memberId) : undefined,
        filter.from ? gte(contributions.date, filter.from) : undefined,
        filter.to ? lte(contributions.date, filter.to) : undefined,
      );
      const [counted] = await db.select({ count: countAll }).from(contributions).where(where);
      const rows = await db
        .select(listColumns)
        .from(contributions)
        .innerJoin(members, eq(members.id, contributions.memberId))
        .where(where)
        .orderBy(desc(contributions.date), desc(contributions.createdAt), desc(contributions.id))
        .limit(page.pageSize)
        .offset(offsetOf(page));
      const people = await deps.people.byIds([...new Set(rows.map((r) => r.principalId))]);
      return { count: counted?.count ?? 0, results: rows.map((r) => toContribution(r, people.get(r.principalId))) };
    },

    /**
     * Approves or rejects pending contributions, all or none, in one transaction: if any id is not a
     * pending contribution of this chama nothing changes. Approval adds to the totals in the same transaction.
     */
    async decide(
      caller: Caller,
      meta: RequestInfo | null,
      chamaId: string,
      input: { ids: string[]; decision: "approve" | "reject" },
    ) {
      const membership = await membershipOf(db, chamaId, caller.principalId);
      requireOfficer(membership);
      requireActive(membership.chama);
      const ids = [...new Set(input.ids)];
      const status: "approved" | "rejected" = input.decision === "approve" ? "approved" : "rejected";
      const now = clock.now();
      const totalCents = await db.transaction(async (tx) => {
        const changed = await tx
          .update(contributions)
          .set({ status, decidedBy: caller.principalId, decidedAt: now })
          .where(
            and(
              eq(contributions.chamaId, chamaId),
              inArray(contributions.id, ids),
              eq(contributions.status, "pending"),
            ),
          )
          .returning({ id: contributions.id, amountCents: contributions.amountCents });
        if (changed.length !== ids.length) {
          const done = new Set(changed.map((c) => c.id));
          throw new GatehouseError("invalid_state", {
            details: { reason: "not_pending", ids: ids.filter((id) => !done.has(id)) },
          });
        }
        const sum = changed.reduce((total, c) => total + c.amountCents, 0);
        await tx
          .update(chamas)
          .set(
            status === "approved"
              ? {
                  totalContributionsCents: sql`${chamas.totalContributionsCents} + ${sum}`,
                  availableBalanceCents: sql`${chamas.availableBalanceCents} + ${sum}`,
                  approvedContributions: sql`${chamas.approvedContributions} + ${changed.length}`,
                  version: sql`${chamas.version} + 1`,
                }
              : { version: sql`${chamas.version} + 1` },
          )
          .where(eq(chamas.id, chamaId));
        return sum;
      });
      cache.invalidate(chamaId);
      await recordChange(deps, meta, caller, "chama_contributions_decided", {
        chamaId,
        decision: input.decision,
        count: ids.length,
        totalCents,
      });
      return { decided: ids.length, status, total: formatCents(totalCents) };
    },
  };
}
