import { z } from "zod";
import { paginated } from "../../http/pagination.ts";
import { money, person, role } from "./support.ts";

// ChamaHub's public shapes, each named once in the OpenAPI document.

export const chamaSummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().describe("The first 200 characters of the sanitized description"),
    interestRate: z.string().describe("Annual %, two decimals"),
    active: z.boolean(),
    memberCount: z.number().int(),
    totalContributions: money,
    availableBalance: money,
    myRole: role.nullable().describe("The caller's role (null in the admin console)"),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "ChamaSummary" });
export const chamaPage = paginated(chamaSummary, "ChamaPage");

export const chamaStatistics = z
  .object({
    totalMembers: z.number().int(),
    totalContributions: money,
    averageContribution: money,
    loansOutstanding: money,
    availableBalance: money,
  })
  .meta({ id: "ChamaStatistics" });

const chamaTotals = z.object({
  totalContributions: money,
  availableBalance: money,
  loansOutstanding: money,
  interestPaid: money,
});

export const contribution = z
  .object({
    id: z.uuid(),
    memberId: z.uuid(),
    member: z.object(person),
    amount: money,
    date: z.iso.date(),
    status: z.enum(["pending", "approved", "rejected"]),
    createdAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    interestEarned: money,
  })
  .meta({ id: "Contribution" });
export const contributionPage = paginated(contribution, "ContributionPage");

const recentContribution = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  member: z.object(person),
  amount: money,
  date: z.iso.date(),
  status: z.string(),
});

export const chamaDetail = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    rules: z.string(),
    interestRate: z.string(),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    memberCount: z.number().int(),
    totals: chamaTotals,
    statistics: chamaStatistics,
    recentContributions: z.array(recentContribution).describe("The 10 most recent, newest first"),
    myRole: role,
  })
  .meta({ id: "ChamaDetail" });

export const adminChamaDetail = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    rules: z.string(),
    interestRate: z.string(),
    active: z.boolean(),
    createdBy: z.uuid(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    memberCount: z.number().int(),
    totals: chamaTotals,
    statistics: chamaStatistics,
  })
  .meta({ id: "AdminChamaDetail" });

export const chamaMember = z
  .object({ id: z.uuid(), principalId: z.uuid(), ...person, role, joinedAt: z.iso.datetime() })
  .meta({ id: "ChamaMember" });
export const memberPage = paginated(chamaMember, "ChamaMemberPage");

export const recordedContribution = z
  .object({ id: z.uuid(), memberId: z.uuid(), amount: money, date: z.iso.date(), status: z.literal("pending") })
  .meta({ id: "RecordedContribution" });

export const contributionDecision = z
  .object({ decided: z.number().int(), status: z.enum(["approved", "rejected"]), total: money })
  .meta({ id: "ContributionDecision" });

export const loan = z
  .object({
    id: z.uuid(),
    memberId: z.uuid(),
    member: z.object(person),
    principal: money,
    annualRate: z.string(),
    termMonths: z.number().int(),
    totalDue: money,
    repaid: money,
    outstanding: money,
    status: z.enum(["requested", "approved", "rejected", "disbursed", "repaid"]),
    purpose: z.string(),
    requestedAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    disbursedAt: z.iso.datetime().nullable(),
    repaidAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "Loan" });
export const loanPage = paginated(loan, "LoanPage");

export const loanSchedule = z
  .object({
    loan,
    installments: z.array(z.object({ number: z.number().int(), dueDate: z.iso.date(), amount: money, paid: money })),
  })
  .meta({ id: "LoanSchedule" });

export const job = z
  .object({
    id: z.uuid(),
    type: z.string(),
    status: z.enum(["queued", "running", "succeeded", "failed"]),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    result: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    createdAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "Job" });
export const jobPage = paginated(job, "JobPage");
