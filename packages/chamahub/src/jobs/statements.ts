import { and, eq, gte, lt, sql } from "drizzle-orm";
import { chamas, contributions, members } from "../db/schema.ts";
import { formatCents } from "../money.ts";
import type { ChamaHubDeps } from "../ports.ts";

/**
 * The monthly statement mail: per active member, what they contributed in `month` (approved and
 * pending), their interest so far and their chama's balance. One aggregate query plus one for names.
 */
export async function sendStatements(deps: Pick<ChamaHubDeps, "db" | "people" | "mailer">, month: string) {
  const end = sql`(${month}::date + interval '1 month')::date`;
  const rows = await deps.db
    .select({
      principalId: members.principalId,
      chamaName: chamas.name,
      balanceCents: chamas.availableBalanceCents,
      approvedCents:
        sql<number>`coalesce(sum(${contributions.amountCents}) filter (where ${contributions.status} = 'approved'), 0)`.mapWith(
          Number,
        ),
      pendingCents:
        sql<number>`coalesce(sum(${contributions.amountCents}) filter (where ${contributions.status} = 'pending'), 0)`.mapWith(
          Number,
        ),
    })
    .from(members)
    .innerJoin(chamas, eq(chamas.id, members.chamaId))
    .leftJoin(
      contributions,
      and(eq(contributions.memberId, members.id), gte(contributions.date, month), lt(contributions.date, end)),
    )
    .where(and(eq(members.active, true), eq(chamas.active, true)))
    .groupBy(members.id, members.principalId, chamas.name, chamas.availableBalanceCents);
  const people = await deps.people.byIds([...new Set(rows.map((r) => r.principalId))]);
  let sent = 0;
  for (const row of rows) {
    const person = people.get(row.principalId);
    if (!person) continue;
    await deps.mailer.send({
      to: person.email,
      subject: `${row.chamaName}: your statement for ${month.slice(0, 7)}`,
      text: [
        `Statement for ${month.slice(0, 7)} — ${row.chamaName}`,
        `Approved contributions: KSh ${formatCents(row.approvedCents)}`,
        `Pending contributions: KSh ${formatCents(row.pendingCents)}`,
        `Chama available balance: KSh ${formatCents(row.balanceCents)}`,
      ].join("\n"),
    });
    sent++;
  }
  return { sent, month };
}
