import type { ChamaRow } from "./access.ts";
import { formatCents, formatRate } from "./money.ts";
import type { Person } from "./ports.ts";
import type { Role } from "./rules.ts";

/** The money totals of a chama, from its one source of truth (the chama row). */
export function toTotals(c: ChamaRow) {
  return {
    totalContributions: formatCents(c.totalContributionsCents),
    availableBalance: formatCents(c.availableBalanceCents),
    loansOutstanding: formatCents(c.loansOutstandingCents),
    interestPaid: formatCents(c.interestPaidCents),
  };
}

export function toStatistics(
  c: Pick<
    ChamaRow,
    | "memberCount"
    | "totalContributionsCents"
    | "approvedContributions"
    | "loansOutstandingCents"
    | "availableBalanceCents"
  >,
) {
  return {
    totalMembers: c.memberCount,
    totalContributions: formatCents(c.totalContributionsCents),
    averageContribution: formatCents(
      c.approvedContributions === 0 ? 0 : Math.round(c.totalContributionsCents / c.approvedContributions),
    ),
    loansOutstanding: formatCents(c.loansOutstandingCents),
    availableBalance: formatCents(c.availableBalanceCents),
  };
}

export type ListChamaRow = Pick<
  ChamaRow,
  | "id"
  | "name"
  | "interestRateBp"
  | "active"
  | "memberCount"
  | "availableBalanceCents"
  | "totalContributionsCents"
  | "createdAt"
> & { description: string };

/** One row of a chama list (the description is cut to a summary: a list needs no 5,000 characters). */
export function toChamaSummary(c: ListChamaRow, myRole: Role | null) {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    interestRate: formatRate(c.interestRateBp),
    active: c.active,
    memberCount: c.memberCount,
    totalContributions: formatCents(c.totalContributionsCents),
    availableBalance: formatCents(c.availableBalanceCents),
    myRole,
    createdAt: c.createdAt.toISOString(),
  };
}

export const personView = (person: Person | undefined) => ({
  email: person?.email ?? "",
  displayName: person?.displayName ?? null,
});
