import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedChamaHubDemo, seedChamaHubOnEmpty } from "../src/chamahub-demo.ts";
import { type ChamaWorld, startChamaWorld } from "./support/chamahub.ts";
import { selectRows } from "./support/sql.ts";

describe("ChamaHub demo data", () => {
  let world: ChamaWorld;
  beforeAll(async () => {
    world = await startChamaWorld();
  });
  afterAll(() => world.close());

  it("seeds chamas whose stored totals equal what their rows add up to, and reuses demo members", async () => {
    const progress: number[] = [];
    const seeded = await seedChamaHubDemo(world.server.ctx, {
      chamas: 4,
      memberCount: 8,
      onChama: (n) => progress.push(n),
    });
    expect(seeded).toMatchObject({ chamas: 4, members: 8 });
    expect(seeded.password).toEqual(expect.any(String));
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(seeded.contributions).toBeGreaterThan(4 * 5 * 20);

    const mismatches = await selectRows<{ id: string }>(
      world.db.database,
      sql`select c.id from chamas c
          where c.total_contributions_cents <> coalesce((select sum(amount_cents) from chama_contributions where chama_id = c.id and status = 'approved'), 0)
             or c.approved_contributions <> (select count(*) from chama_contributions where chama_id = c.id and status = 'approved')
             or c.available_balance_cents <> c.total_contributions_cents
                  - coalesce((select sum(principal_cents) from chama_loans where chama_id = c.id and status in ('disbursed', 'repaid')), 0)
                  + coalesce((select sum(r.amount_cents) from chama_loan_repayments r join chama_loans l on l.id = r.loan_id where l.chama_id = c.id), 0)
             or c.loans_outstanding_cents <> coalesce((select sum(total_due_cents - repaid_cents) from chama_loans where chama_id = c.id and status = 'disbursed'), 0)
             or c.member_count <> (select count(*) from chama_members where chama_id = c.id and active)
             or c.available_balance_cents < 0`,
    );
    expect(mismatches).toEqual([]);
    // A second run draws on the same demo members (no new accounts, so no new password).
    const again = await seedChamaHubDemo(world.server.ctx, { chamas: 1, memberCount: 8 });
    expect(again.password).toBeNull();
    // `npm start` seeds only an empty database.
    expect(await seedChamaHubOnEmpty(world.server.ctx)).toEqual([]);
  });
});
