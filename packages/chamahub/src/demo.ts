import { randomUUID } from "node:crypto";
import { chamas, contributions, loans, members, repayments } from "./db/schema.ts";
import type { ChamaDb } from "./ports.ts";
import { loanTotalDue, type Role } from "./rules.ts";

const names = ["Umoja", "Harambee", "Tujenge", "Jamii", "Baraka", "Amani", "Upendo", "Neema", "Imani", "Tumaini"];
const kinds = ["Savers", "Women Group", "Investment Club", "Welfare Group", "Boda Boda Sacco", "Youth Chama"];
const places = ["Kibera", "Nakuru", "Kisumu", "Eldoret", "Thika", "Machakos", "Nyeri", "Mombasa", "Kitale", "Embu"];

/** A tiny deterministic generator, so the same seed gives the same demo data. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Realistic demo data: `count` chamas with 5–15 members drawn from `people`, six months of weekly
 * contributions (the last week still pending), and a few loans in every state. Rows are written in
 * bulk, one transaction per chama, with totals computed here so they equal the rows exactly.
 */
export async function seedDemoChamas(
  db: ChamaDb,
  options: {
    people: readonly string[];
    count: number;
    now: Date;
    /** Chairperson of every demo chama (the demo user, so a newcomer sees them all). */
    owner?: string | undefined;
    seed?: number;
    onChama?: (done: number) => void;
  },
): Promise<{ chamas: number; contributions: number; loans: number }> {
  const rand = random(options.seed ?? 17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
  let contributionCount = 0;
  let loanCount = 0;
  for (let n = 0; n < options.count; n++) {
    const chamaId = randomUUID();
    const created = new Date(options.now.getTime() - 190 * 86_400_000);
    const rateBp = pick([0, 600, 1000, 1200, 1500]);
    const size = Math.min(options.people.length, 5 + Math.floor(rand() * 11));
    const others = options.people.filter((p) => p !== options.owner);
    const shuffled = others
      .map((p) => [rand(), p] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, p]) => p);
    const chosen = (options.owner ? [options.owner, ...shuffled] : shuffled).slice(0, size);
    const memberRows = chosen.map((principalId, i) => ({
      id: randomUUID(),
      chamaId,
      principalId,
      role: (i === 0 ? "chairperson" : i === 1 ? "treasurer" : i === 2 ? "secretary" : "member") as Role,
      joinedAt: created,
    }));
    const contributionRows: Array<typeof contributions.$inferInsert> = [];
    let approvedCents = 0;
    let approvedCount = 0;
    for (let week = 26; week >= 0; week--) {
      const day = new Date(options.now.getTime() - week * 7 * 86_400_000);
      for (const member of memberRows) {
        if (rand() < 0.15) continue; // not everyone pays every week
        const amountCents = (5 + Math.floor(rand() * 20)) * 10_000 + (rand() < 0.2 ? 50 : 0);
        const status = week === 0 ? "pending" : "approved";
        if (status === "approved") {
          approvedCents += amountCents;
          approvedCount++;
        }
        contributionRows.push({
          id: randomUUID(),
          chamaId,
          memberId: member.id,
          amountCents,
          date: day.toISOString().slice(0, 10),
          status,
          recordedBy: member.principalId,
          createdAt: day,
          decidedBy: status === "approved" ? memberRows[1]?.principalId : null,
          decidedAt: status === "approved" ? day : null,
        });
      }
    }
    // Loans: one repaid, one disbursed and half repaid, one approved, one requested (never past the balance).
    let balance = approvedCents;
    let outstanding = 0;
    const loanRows: Array<typeof loans.$inferInsert> = [];
    const repaymentRows: Array<typeof repayments.$inferInsert> = [];
    for (const state of ["repaid", "disbursed", "approved", "requested"] as const) {
      const borrower = pick(memberRows);
      const principalCents = Math.min(Math.floor(balance / 4 / 100) * 100, 50_000_00);
      if (principalCents <= 0) break;
      const termMonths = pick([3, 6, 12]);
      const totalDueCents = loanTotalDue(principalCents, rateBp, termMonths);
      const id = randomUUID();
      const at = new Date(options.now.getTime() - 60 * 86_400_000);
      const disbursed = state === "repaid" || state === "disbursed";
      const repaidCents =
        state === "repaid" ? totalDueCents : state === "disbursed" ? Math.floor(totalDueCents / 2) : 0;
      if (disbursed) {
        balance += repaidCents - principalCents;
        outstanding += totalDueCents - repaidCents;
      }
      loanRows.push({
        id,
        chamaId,
        memberId: borrower.id,
        principalCents,
        annualRateBp: rateBp,
        termMonths,
        totalDueCents,
        repaidCents,
        status: state,
        purpose: pick(["School fees", "Stock for the shop", "Farm inputs", "Motorbike repair", "Medical bill"]),
        requestedAt: at,
        decidedBy: state === "requested" ? null : memberRows[0]?.principalId,
        decidedAt: state === "requested" ? null : at,
        disbursedBy: disbursed ? memberRows[1]?.principalId : null,
        disbursedAt: disbursed ? at : null,
        repaidAt: state === "repaid" ? options.now : null,
      });
      if (repaidCents > 0)
        repaymentRows.push({
          id: randomUUID(),
          loanId: id,
          amountCents: repaidCents,
          paidAt: options.now,
          recordedBy: memberRows[1]?.principalId ?? borrower.principalId,
        });
    }
    await db.transaction(async (tx) => {
      await tx.insert(chamas).values({
        id: chamaId,
        name: `${pick(names)} ${pick(kinds)} ${pick(places)}`.slice(0, 100),
        description: "<p>A demo chama: weekly contributions, monthly meetings, loans for members.</p>",
        rules: "Contribute every Monday. Loans up to a quarter of the balance, repaid monthly.",
        interestRateBp: rateBp,
        createdBy: memberRows[0]?.principalId ?? chosen[0] ?? randomUUID(),
        createdAt: created,
        updatedAt: options.now,
        memberCount: memberRows.length,
        totalContributionsCents: approvedCents,
        approvedContributions: approvedCount,
        availableBalanceCents: balance,
        loansOutstandingCents: outstanding,
      });
      await tx.insert(members).values(memberRows);
      for (let i = 0; i < contributionRows.length; i += 1000)
        await tx.insert(contributions).values(contributionRows.slice(i, i + 1000));
      if (loanRows.length) await tx.insert(loans).values(loanRows);
      if (repaymentRows.length) await tx.insert(repayments).values(repaymentRows);
    });
    contributionCount += contributionRows.length;
    loanCount += loanRows.length;
    options.onChama?.(n + 1);
  }
  return { chamas: options.count, contributions: contributionCount, loans: loanCount };
}

/** Whether any chama exists (an empty database gets demo data on `npm start`). */
export async function hasChamas(db: ChamaDb): Promise<boolean> {
  const rows = await db.select({ id: chamas.id }).from(chamas).limit(1);
  return rows.length > 0;
}
