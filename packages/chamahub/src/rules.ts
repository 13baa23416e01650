import { divideRoundHalfUp } from "./money.ts";

export const roles = ["chairperson", "treasurer", "secretary", "member"] as const;
export type Role = (typeof roles)[number];

/** Who may approve contributions, decide and disburse loans, record repayments and manage members. */
export const officerRoles: readonly Role[] = ["chairperson", "treasurer"];
export const isOfficer = (role: Role): boolean => officerRoles.includes(role);

export const contributionStatuses = ["pending", "approved", "rejected"] as const;
export type ContributionStatus = (typeof contributionStatuses)[number];

export const loanStatuses = ["requested", "approved", "rejected", "disbursed", "repaid"] as const;
export type LoanStatus = (typeof loanStatuses)[number];

/** Flat interest over the term, rounded half up to the cent: what a member owes in total. */
export function loanTotalDue(principalCents: number, annualRateBp: number, termMonths: number): number {
  const interest = divideRoundHalfUp(BigInt(principalCents) * BigInt(annualRateBp) * BigInt(termMonths), 12n * 10_000n);
  return principalCents + Number(interest);
}

/** One month's interest on a contribution at an annual rate, half up to the cent (the SQL of jobs/interest.ts). */
export function monthlyInterest(amountCents: number, annualRateBp: number): number {
  return Number(divideRoundHalfUp(BigInt(amountCents) * BigInt(annualRateBp), 12n * 10_000n));
}

export interface Installment {
  number: number;
  dueDate: string;
  amountCents: number;
}

/**
 * Equal monthly installments from the month after `start`; the last absorbs the remainder, so the
 * installments always add up to the total exactly.
 */
export function loanSchedule(totalDueCents: number, termMonths: number, start: Date): Installment[] {
  const base = Math.floor(totalDueCents / termMonths);
  const installments: Installment[] = [];
  for (let n = 1; n <= termMonths; n++) {
    const due = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + n, 1));
    const lastDay = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0)).getUTCDate();
    due.setUTCDate(Math.min(start.getUTCDate(), lastDay));
    installments.push({
      number: n,
      dueDate: due.toISOString().slice(0, 10),
      amountCents: n === termMonths ? totalDueCents - base * (termMonths - 1) : base,
    });
  }
  return installments;
}
