import { sql } from "drizzle-orm";
import { chamas, contributions } from "../db/schema.ts";
import { recordChange } from "../events.ts";
import type { ChamaHubDeps } from "../ports.ts";

/**
 * Pays one month's interest (`month` = its first day, YYYY-MM-01) on every approved contribution dated
 * before the month ended, at its chama's annual rate / 12, rounded half up to the cent in integer SQL.
 * One statement: the contributions and their chamas' totals change together. A contribution remembers
 * the last month it was paid for (`interest_month`), so running the same month again pays nothing.
 */
export async function applyMonthlyInterest(deps: Pick<ChamaHubDeps, "db" | "clock" | "audit">, month: string) {
  if (!/^\d{4}-\d{2}-01$/.test(month)) throw new Error(`interest month must be YYYY-MM-01, got ${month}`);
  const now = deps.clock.now().toISOString();
  const result = (await deps.db.execute(sql`
    with paid as (
      update ${contributions} c
      set interest_earned_cents = c.interest_earned_cents + (c.amount_cents * ch.interest_rate_bp + 60000) / 120000,
          interest_month = ${month}::date,
          interest_applied_at = ${now}::timestamptz
      from ${chamas} ch
      where ch.id = c.chama_id and ch.active and ch.interest_rate_bp > 0
        and c.status = 'approved'
        and c.date < (${month}::date + interval '1 month')
        and (c.interest_month is null or c.interest_month < ${month}::date)
      returning c.chama_id, (c.amount_cents * ch.interest_rate_bp + 60000) / 120000 as interest
    ), per_chama as (
      select chama_id, sum(interest)::bigint as total, count(*)::int as n from paid group by chama_id
    ), credited as (
      update ${chamas} set interest_paid_cents = interest_paid_cents + per_chama.total, version = version + 1
      from per_chama where ${chamas.id} = per_chama.chama_id
      returning per_chama.total, per_chama.n
    )
    select coalesce(sum(total), 0)::bigint as total, coalesce(sum(n), 0)::int as contributions, count(*)::int as chamas
    from credited`)) as unknown as { rows: Array<{ total: string | number; contributions: number; chamas: number }> };
  const row = result.rows[0];
  const summary = {
    month,
    totalInterestCents: Number(row?.total ?? 0),
    contributions: Number(row?.contributions ?? 0),
    chamas: Number(row?.chamas ?? 0),
  };
  await recordChange(deps, null, null, "chama_interest_applied", summary);
  return summary;
}
