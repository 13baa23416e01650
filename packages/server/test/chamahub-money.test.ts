import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./support/browser.ts";
import { addMember, type ChamaWorld, createChama, fund, startChamaWorld } from "./support/chamahub.ts";
import { selectRows } from "./support/sql.ts";

type Who = Browser & { principalId: string; email: string };

describe("ChamaHub money: exact totals under concurrency, caching and ETags", () => {
  let world: ChamaWorld;
  beforeAll(async () => {
    world = await startChamaWorld();
  });
  afterAll(() => world.close());

  it("20 concurrent disbursements against a balance that covers 5: exactly 5 succeed, never below zero", async () => {
    const chair = (await world.user("chair")) as Who;
    const member = (await world.user("member")) as Who;
    const chama = await createChama(chair, { interestRate: 0 });
    await addMember(chair, chama.id, member.email);
    await fund(chair, chama.id, "5000.00");
    const loanIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const loan = await member.request("POST", `/api/chamas/${chama.id}/loans`, {
        realm: "user",
        body: { amount: "1000.00", termMonths: 2 },
      });
      await chair.request("POST", `/api/chamas/${chama.id}/loans/${loan.body.id}/decision`, {
        realm: "user",
        body: { decision: "approve" },
      });
      loanIds.push(loan.body.id);
    }
    const results = await Promise.all(
      loanIds.map((id) => chair.request("POST", `/api/chamas/${chama.id}/loans/${id}/disburse`, { realm: "user" })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === "insufficient_funds")).toBe(true);

    const stats = await chair.request("GET", `/api/chamas/${chama.id}/statistics`);
    expect(stats.body).toMatchObject({
      availableBalance: "0.00",
      loansOutstanding: "5000.00",
      totalContributions: "5000.00",
    });
    // The totals equal what the rows say.
    const [check] = await selectRows<{ disbursed: string | number; approved: string | number }>(
      world.db.database,
      sql`select (select count(*) from chama_loans where chama_id = ${chama.id} and status = 'disbursed') as disbursed,
                 (select count(*) from chama_loans where chama_id = ${chama.id} and status = 'approved') as approved`,
    );
    expect(Number(check?.disbursed)).toBe(5);
    expect(Number(check?.approved)).toBe(15);
    // Disbursing the same loan twice pays once.
    const again = await chair.request("POST", `/api/chamas/${chama.id}/loans/${loanIds[0]}/disburse`, {
      realm: "user",
    });
    expect(again.status).toBe(409);
  });

  it("approving many contributions is all or nothing, in one transaction", async () => {
    const chair = (await world.user("chair")) as Who;
    const chama = await createChama(chair);
    const ids: string[] = [];
    for (const amount of ["100.10", "200.20", "300.30"]) {
      const r = await chair.request("POST", `/api/chamas/${chama.id}/contributions`, {
        realm: "user",
        body: { amount, date: "2026-02-02" },
      });
      ids.push(r.body.id);
    }
    const [first] = ids;
    await chair.request("POST", `/api/chamas/${chama.id}/contributions/decisions`, {
      realm: "user",
      body: { ids: [first], decision: "reject" },
    });
    const mixed = await chair.request("POST", `/api/chamas/${chama.id}/contributions/decisions`, {
      realm: "user",
      body: { ids, decision: "approve" },
    });
    expect(mixed.status).toBe(409);
    expect(mixed.body.error).toMatchObject({ code: "invalid_state", details: { ids: [first] } });
    const pending = await chair.request("GET", `/api/chamas/${chama.id}/contributions?status=pending`);
    expect(pending.body.count).toBe(2);
    const ok = await chair.request("POST", `/api/chamas/${chama.id}/contributions/decisions`, {
      realm: "user",
      body: { ids: ids.slice(1), decision: "approve" },
    });
    expect(ok.body).toEqual({ decided: 2, status: "approved", total: "500.50" });
    const stats = await chair.request("GET", `/api/chamas/${chama.id}/statistics`);
    expect(stats.body).toMatchObject({
      totalContributions: "500.50",
      averageContribution: "250.25",
      availableBalance: "500.50",
    });
  });

  it("statistics, detail and ETag change at once after an approval; a matching If-None-Match is 304", async () => {
    const chair = (await world.user("chair")) as Who;
    const member = (await world.user("member")) as Who;
    const chama = await createChama(chair);
    await addMember(chair, chama.id, member.email);
    const first = await member.request("GET", `/api/chamas/${chama.id}`);
    const etag = first.headers.get("etag") as string;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const cached = await member.request("GET", `/api/chamas/${chama.id}`, { headers: { "if-none-match": etag } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get("etag")).toBe(etag);

    const recorded = await member.request("POST", `/api/chamas/${chama.id}/contributions`, {
      realm: "user",
      body: { amount: "750", date: "2026-03-03" },
    });
    const afterRecord = await member.request("GET", `/api/chamas/${chama.id}`, { headers: { "if-none-match": etag } });
    expect(afterRecord.status).toBe(200);
    expect(afterRecord.body.recentContributions[0]).toMatchObject({ id: recorded.body.id, status: "pending" });
    expect(afterRecord.body.totals.availableBalance).toBe("0.00");
    const etag2 = afterRecord.headers.get("etag") as string;

    await chair.request("POST", `/api/chamas/${chama.id}/contributions/decisions`, {
      realm: "user",
      body: { ids: [recorded.body.id], decision: "approve" },
    });
    const afterApprove = await member.request("GET", `/api/chamas/${chama.id}`, {
      headers: { "if-none-match": etag2 },
    });
    expect(afterApprove.status).toBe(200);
    expect(afterApprove.headers.get("etag")).not.toBe(etag2);
    expect(afterApprove.body.totals).toMatchObject({ totalContributions: "750.00", availableBalance: "750.00" });
    expect(afterApprove.body.recentContributions[0].status).toBe("approved");
    expect((await member.request("GET", `/api/chamas/${chama.id}/statistics`)).body).toMatchObject({
      totalContributions: "750.00",
      averageContribution: "750.00",
      totalMembers: 2,
    });
  });

  it("the detail cache is exact across nodes: a write through another node changes this node's answer", async () => {
    const { startTestServer } = await import("./support/test-server.ts");
    const { Browser: B } = await import("./support/browser.ts");
    const other = await startTestServer({ database: world.db.database });
    try {
      const chair = (await world.user("chair")) as Who;
      const chama = await createChama(chair);
      const before = await chair.request("GET", `/api/chamas/${chama.id}`);
      expect(before.body.totals.availableBalance).toBe("0.00");
      // The same account signs in on the second node and approves a contribution there.
      const there = new B(other.baseUrl);
      await there.login("user", chair.email, "Chama-Test-Password-42!");
      await fund(there, chama.id, "99.99");
      const after = await chair.request("GET", `/api/chamas/${chama.id}`);
      expect(after.body.totals.availableBalance).toBe("99.99");
      expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    } finally {
      await other.close();
    }
  });
});
