import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, type ChamaWorld, createChama, fund, startChamaWorld } from "./support/chamahub.ts";

describe("ChamaHub: a treasurer's day", () => {
  let world: ChamaWorld;
  beforeAll(async () => {
    world = await startChamaWorld();
  });
  afterAll(() => world.close());

  it("creates a chama, adds a member, records, approves, lends, disburses, repays — totals exact", async () => {
    const chair = await world.user("chair");
    const member = await world.user("member");
    const chama = await createChama(chair, {
      name: "Umoja Savers",
      description: '<p>Weekly <b>savings</b></p><script>alert(1)</script><a href="javascript:alert(1)">x</a>',
      interestRate: "12.5",
    });
    const detail = await chair.request("GET", `/api/chamas/${chama.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.description).toBe('<p>Weekly <b>savings</b></p><a rel="noopener noreferrer nofollow">x</a>');
    expect(detail.body.interestRate).toBe("12.50");
    expect(detail.body.myRole).toBe("chairperson");

    const added = await addMember(chair, chama.id, member.email);
    const recorded = await member.request("POST", `/api/chamas/${chama.id}/contributions`, {
      realm: "user",
      body: { amount: "1500.55", date: "2026-02-01" },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ memberId: added.id, amount: "1500.55", status: "pending" });

    const approve = await chair.request("POST", `/api/chamas/${chama.id}/contributions/decisions`, {
      realm: "user",
      body: { ids: [recorded.body.id], decision: "approve" },
    });
    expect(approve.status).toBe(200);
    expect(approve.body).toEqual({ decided: 1, status: "approved", total: "1500.55" });

    const loan = await member.request("POST", `/api/chamas/${chama.id}/loans`, {
      realm: "user",
      body: { amount: "1000", termMonths: 3 },
    });
    expect(loan.status).toBe(201);
    // 1000 × 12.5 % × 3/12 = 31.25
    expect(loan.body).toMatchObject({ principal: "1000.00", totalDue: "1031.25", status: "requested" });
    const loanUrl = `/api/chamas/${chama.id}/loans/${loan.body.id}`;
    expect(
      (await chair.request("POST", `${loanUrl}/decision`, { realm: "user", body: { decision: "approve" } })).status,
    ).toBe(200);
    const disbursed = await chair.request("POST", `${loanUrl}/disburse`, { realm: "user" });
    expect(disbursed.status).toBe(200);
    expect(disbursed.body.outstanding).toBe("1031.25");

    let stats = await member.request("GET", `/api/chamas/${chama.id}/statistics`);
    expect(stats.body).toEqual({
      totalMembers: 2,
      totalContributions: "1500.55",
      averageContribution: "1500.55",
      loansOutstanding: "1031.25",
      availableBalance: "500.55",
    });

    const schedule = await member.request("GET", `${loanUrl}/schedule`);
    expect(schedule.status).toBe(200);
    expect(schedule.body.installments.map((i: { amount: string }) => i.amount)).toEqual(["343.75", "343.75", "343.75"]);

    expect(
      (await chair.request("POST", `${loanUrl}/repayments`, { realm: "user", body: { amount: "1000" } })).status,
    ).toBe(200);
    const overpay = await chair.request("POST", `${loanUrl}/repayments`, { realm: "user", body: { amount: "31.26" } });
    expect(overpay.status).toBe(409);
    expect(overpay.body.error.code).toBe("invalid_state");
    const last = await chair.request("POST", `${loanUrl}/repayments`, { realm: "user", body: { amount: "31.25" } });
    expect(last.body).toMatchObject({ status: "repaid", outstanding: "0.00", repaid: "1031.25" });

    stats = await member.request("GET", `/api/chamas/${chama.id}/statistics`);
    expect(stats.body).toMatchObject({ loansOutstanding: "0.00", availableBalance: "1531.80" });

    const list = await member.request("GET", "/api/chamas?search=umoja");
    expect(list.body).toMatchObject({ count: 1, page: 1, totalPages: 1 });
    expect(list.body.results[0]).toMatchObject({ id: chama.id, myRole: "member", availableBalance: "1531.80" });

    // Every change is in the audit log, naming the chama and who did it (never a session id or token).
    const events = world.server.audit.events.filter((e) => e.details.chamaId === chama.id);
    expect(events.map((e) => e.type)).toEqual([
      "chama_created",
      "chama_member_added",
      "chama_contribution_recorded",
      "chama_contributions_decided",
      "chama_loan_requested",
      "chama_loan_decided",
      "chama_loan_disbursed",
      "chama_loan_repayment",
      "chama_loan_repayment",
    ]);
    expect(events.find((e) => e.type === "chama_loan_disbursed")).toMatchObject({
      realm: "user",
      principalId: chair.principalId,
      actor: `user:${chair.principalId}`,
    });
  });

  it("keeps the last chairperson: cannot leave or be demoted until another is appointed", async () => {
    const chair = await world.user("chair");
    const treasurer = await world.user("treasurer");
    const chama = await createChama(chair);
    const members = await chair.request("GET", `/api/chamas/${chama.id}/members`);
    const chairMemberId = members.body.results[0].id;
    const leave = await chair.request("DELETE", `/api/chamas/${chama.id}/members/${chairMemberId}`, { realm: "user" });
    expect(leave.status).toBe(409);
    expect(leave.body.error.code).toBe("last_chairperson_refused");
    await addMember(chair, chama.id, treasurer.email, "treasurer");
    const demote = await treasurer.request("PATCH", `/api/chamas/${chama.id}/members/${chairMemberId}`, {
      realm: "user",
      body: { role: "member" },
    });
    expect(demote.body?.error?.code).toBe("last_chairperson_refused");
    const again = await addMember(chair, chama.id, treasurer.email).catch((e: Error) => e.message);
    expect(again).toContain("already_member");
    const t = (await chair.request("GET", `/api/chamas/${chama.id}/members`)).body.results.find(
      (m: { role: string }) => m.role === "treasurer",
    );
    expect(
      (
        await chair.request("PATCH", `/api/chamas/${chama.id}/members/${t.id}`, {
          realm: "user",
          body: { role: "chairperson" },
        })
      ).status,
    ).toBe(204);
    expect(
      (await chair.request("DELETE", `/api/chamas/${chama.id}/members/${chairMemberId}`, { realm: "user" })).status,
    ).toBe(204);
    expect((await chair.request("GET", `/api/chamas/${chama.id}`)).status).toBe(404);
  });

  it("two chairpersons demoting each other at the same time: one succeeds, a chairperson remains", async () => {
    const a = await world.user("chair-a");
    const b = await world.user("chair-b");
    const chama = await createChama(a);
    await addMember(a, chama.id, b.email, "chairperson");
    const members = (await a.request("GET", `/api/chamas/${chama.id}/members`)).body.results as Array<{
      id: string;
      principalId: string;
    }>;
    const idOf = (who: { principalId: string }) => members.find((m) => m.principalId === who.principalId)?.id;
    const [first, second] = await Promise.all([
      a.request("PATCH", `/api/chamas/${chama.id}/members/${idOf(b)}`, { realm: "user", body: { role: "member" } }),
      b.request("PATCH", `/api/chamas/${chama.id}/members/${idOf(a)}`, { realm: "user", body: { role: "member" } }),
    ]);
    // The loser is refused either as no longer an officer (403) or as the last chairperson (409).
    const statuses = [first.status, second.status].sort();
    expect(statuses[0]).toBe(204);
    expect([403, 409]).toContain(statuses[1]);
    const after = (await a.request("GET", `/api/chamas/${chama.id}/members`)).body.results as Array<{ role: string }>;
    expect(after.filter((m) => m.role === "chairperson")).toHaveLength(1);
  });

  it("refuses a search over 100 characters with 400 and bad amounts with validation_failed", async () => {
    const chair = await world.user("chair");
    const chama = await createChama(chair);
    const long = await chair.request("GET", `/api/chamas?search=${"a".repeat(101)}`);
    expect(long.status).toBe(400);
    for (const amount of ["-5", "1.234", "abc", 0, "1e5"]) {
      const bad = await chair.request("POST", `/api/chamas/${chama.id}/contributions`, {
        realm: "user",
        body: { amount, date: "2026-01-01" },
      });
      expect(bad.status, String(amount)).toBe(400);
      expect(bad.body.error.code).toBe("validation_failed");
    }
    await fund(chair, chama.id, "10");
  });
});
