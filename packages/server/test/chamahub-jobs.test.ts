import type { Clock } from "@gatehouse/core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./support/browser.ts";
import { addMember, type ChamaWorld, createChama, startChamaWorld } from "./support/chamahub.ts";
import { selectRows } from "./support/sql.ts";

type Who = Browser & { principalId: string; email: string };

/** A clock the test moves (the job queue's backoff and the schedule read it). */
class MovableClock implements Clock {
  constructor(public at: Date) {}
  now = () => new Date(this.at);
}

describe("ChamaHub jobs", () => {
  let world: ChamaWorld;
  const clock = new MovableClock(new Date("2026-03-10T09:00:00Z"));
  const hub = () => world.server.ctx.useCases.chamaHub;

  beforeAll(async () => {
    world = await startChamaWorld({ clock });
  });
  afterAll(() => world.close());

  async function approvedContributions(chair: Who, chamaId: string, rows: Array<[string, string]>) {
    const ids: string[] = [];
    for (const [amount, date] of rows) {
      const r = await chair.request("POST", `/api/chamas/${chamaId}/contributions`, {
        realm: "user",
        body: { amount, date },
      });
      ids.push(r.body.id);
    }
    await chair.request("POST", `/api/chamas/${chamaId}/contributions/decisions`, {
      realm: "user",
      body: { ids, decision: "approve" },
    });
    return ids;
  }

  it("monthly interest run twice for the same month pays once, exact to the cent", async () => {
    const chair = (await world.user("chair")) as Who;
    // 12.5 % a year: 10,000.00 earns 104.17 a month (104.1666… half up), 333.33 earns 3.47 (3.4722…), 0.04 earns 0.00
    const chama = await createChama(chair, { interestRate: "12.5" });
    const ids = await approvedContributions(chair, chama.id, [
      ["10000.00", "2026-01-05"],
      ["333.33", "2026-02-27"],
      ["0.04", "2026-02-01"],
      ["500.00", "2026-03-02"], // after February: not paid for February
    ]);
    // Both through the queue (deduplicated by month) and by calling the job body twice.
    const first = await hub().queue.enqueue({
      type: "interest",
      payload: { month: "2026-02-01" },
      dedupeKey: "interest:2026-02-01",
    });
    const second = await hub().queue.enqueue({
      type: "interest",
      payload: { month: "2026-02-01" },
      dedupeKey: "interest:2026-02-01",
    });
    expect(second.id).toBe(first.id);
    await hub().runner.drain();
    expect((await hub().queue.get(first.id))?.status).toBe("succeeded");
    const { applyMonthlyInterestForTests } = await import("./support/chamahub-internals.ts");
    const again = await applyMonthlyInterestForTests(world, clock, "2026-02-01");
    expect(again.totalInterestCents).toBe(0);

    const rows = await selectRows<{ id: string; interest_earned_cents: string | number }>(
      world.db.database,
      sql`select id, interest_earned_cents from chama_contributions where chama_id = ${chama.id}`,
    );
    const earned = new Map(rows.map((r) => [r.id, Number(r.interest_earned_cents)]));
    expect(ids.map((id) => earned.get(id))).toEqual([10417, 347, 0, 0]);
    const detail = await chair.request("GET", `/api/chamas/${chama.id}`);
    expect(detail.body.totals.interestPaid).toBe("107.64");
    // The next month pays again, once.
    await applyMonthlyInterestForTests(world, clock, "2026-03-01");
    await applyMonthlyInterestForTests(world, clock, "2026-03-01");
    expect((await chair.request("GET", `/api/chamas/${chama.id}`)).body.totals.interestPaid).toBe(
      String((10764 * 2 + 521) / 100),
    );
  });

  it("a bad row in 1,000 imports nothing and names the row", async () => {
    const chair = (await world.user("chair")) as Who;
    const chama = await createChama(chair);
    const lines = ["email,amount,date"];
    for (let i = 0; i < 1000; i++) lines.push(`${chair.email},${i === 736 ? "12.345" : "10.00"},2026-01-01`);
    const job = await chair.request("POST", `/api/chamas/${chama.id}/contributions/import`, {
      realm: "user",
      body: { csv: lines.join("\n") },
    });
    expect(job.status).toBe(202);
    await hub().runner.drain();
    const state = await chair.request("GET", `/api/jobs/${job.body.id}`);
    expect(state.body).toMatchObject({ status: "failed", attempts: 1, result: { code: "import_invalid", row: 738 } });
    expect(state.body.error).toContain("row 738");
    const list = await chair.request("GET", `/api/chamas/${chama.id}/contributions`);
    expect(list.body.count).toBe(0);
    // A row naming someone who is not a member is refused the same way.
    const stranger = (await world.user("stranger")) as Who;
    const job2 = await chair.request("POST", `/api/chamas/${chama.id}/contributions/import`, {
      realm: "user",
      body: { csv: `email,amount,date\n${chair.email},5,2026-01-01\n${stranger.email},5,2026-01-01\n` },
    });
    await hub().runner.drain();
    expect((await chair.request("GET", `/api/jobs/${job2.body.id}`)).body.result).toMatchObject({ row: 3 });
    expect((await chair.request("GET", `/api/chamas/${chama.id}/contributions`)).body.count).toBe(0);
  });

  it("a valid 10,000-row file imports in one job, with progress, and the totals are exact", async () => {
    const chair = (await world.user("chair")) as Who;
    const member = (await world.user("member")) as Who;
    const chama = await createChama(chair);
    await addMember(chair, chama.id, member.email);
    const lines = ["email,amount,date"];
    let cents = 0;
    for (let i = 0; i < 10_000; i++) {
      const amount = 100 + (i % 97) + (i % 100) / 100;
      cents += Math.round(amount * 100);
      lines.push(`${i % 2 ? member.email : chair.email},${amount.toFixed(2)},2026-0${(i % 9) + 1}-1${i % 10}`);
    }
    const job = await chair.request("POST", `/api/chamas/${chama.id}/contributions/import`, {
      realm: "user",
      body: { csv: lines.join("\n") },
    });
    expect(job.status).toBe(202);
    expect(job.body.status).toBe("queued");
    // Every progress update the job writes where GET /api/jobs/{id} reads it.
    const seen: number[] = [];
    const queue = hub().queue;
    const write = queue.progress.bind(queue);
    queue.progress = async (id, done, total) => {
      seen.push(done);
      await write(id, done, total);
    };
    try {
      await hub().runner.drain();
    } finally {
      queue.progress = write;
    }
    const done = await chair.request("GET", `/api/jobs/${job.body.id}`);
    expect(done.body).toMatchObject({
      status: "succeeded",
      progress: { done: 20_000, total: 20_000 },
      result: { imported: 10_000, totalCents: cents },
    });
    expect(seen.filter((value) => value > 0 && value < 20_000).length).toBeGreaterThanOrEqual(10);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const stats = await chair.request("GET", `/api/chamas/${chama.id}/statistics`);
    expect(stats.body.totalContributions).toBe((cents / 100).toFixed(2));
    expect((await chair.request("GET", `/api/chamas/${chama.id}/contributions?pageSize=1`)).body.count).toBe(10_000);
  }, 120_000);

  it("a failing job is retried with growing backoff, then fails for good; reminders go to every member's mailbox", async () => {
    const chair = (await world.user("chair")) as Who;
    const member = (await world.user("member")) as Who;
    const chama = await createChama(chair, { name: "Reminder Group" });
    await addMember(chair, chama.id, member.email);
    const job = await chair.request("POST", `/api/chamas/${chama.id}/reminders`, { realm: "user" });
    await hub().runner.drain();
    expect((await chair.request("GET", `/api/jobs/${job.body.id}`)).body).toMatchObject({
      status: "succeeded",
      result: { sent: 2 },
    });
    const mails = world.server.mailer.sent.filter((m) => m.subject.includes("Reminder Group"));
    expect(mails.map((m) => m.to).sort()).toEqual([chair.email, member.email].sort());

    const broken = await hub().queue.enqueue({ type: "no-such-type-but-retried", payload: {}, maxAttempts: 3 });
    // An unknown type is permanent; a throwing handler is what retries: simulate one with a bad month.
    const bad = await hub().queue.enqueue({ type: "interest", payload: { month: "not-a-month" }, maxAttempts: 3 });
    await hub().runner.drain();
    expect((await hub().queue.get(broken.id))?.status).toBe("failed");
    let row = await hub().queue.get(bad.id);
    expect(row).toMatchObject({ status: "queued", attempts: 1 });
    const firstDelay = (row?.runAt.getTime() ?? 0) - clock.now().getTime();
    clock.at = new Date(row?.runAt ?? clock.at);
    await hub().runner.drain();
    row = await hub().queue.get(bad.id);
    expect(row).toMatchObject({ status: "queued", attempts: 2 });
    expect((row?.runAt.getTime() ?? 0) - clock.now().getTime()).toBe(firstDelay * 2);
    clock.at = new Date(row?.runAt ?? clock.at);
    await hub().runner.drain();
    expect(await hub().queue.get(bad.id)).toMatchObject({ status: "failed", attempts: 3 });
  });

  it("the monthly statement mails each member their month, in KSh", async () => {
    const chair = (await world.user("chair")) as Who;
    const member = (await world.user("member")) as Who;
    const chama = await createChama(chair, { name: "Statement Group" });
    await addMember(chair, chama.id, member.email);
    await approvedContributions(chair, chama.id, [
      ["1200.50", "2026-02-03"],
      ["99.50", "2026-02-28"],
      ["5000", "2026-03-01"], // next month: not on February's statement
    ]);
    await member.request("POST", `/api/chamas/${chama.id}/contributions`, {
      realm: "user",
      body: { amount: "300", date: "2026-02-10" },
    });
    const job = await hub().queue.enqueue({
      type: "statements",
      payload: { month: "2026-02-01" },
      dedupeKey: "statements:2026-02-01",
    });
    await hub().runner.drain();
    expect((await hub().queue.get(job.id))?.status).toBe("succeeded");
    const mails = world.server.mailer.sent.filter((m) => m.subject.startsWith("Statement Group"));
    const toChair = mails.find((m) => m.to === chair.email);
    const toMember = mails.find((m) => m.to === member.email);
    expect(toChair?.subject).toBe("Statement Group: your statement for 2026-02");
    expect(toChair?.text).toContain("Approved contributions: KSh 1300.00");
    expect(toChair?.text).toContain("Chama available balance: KSh 6300.00");
    expect(toMember?.text).toContain("Approved contributions: KSh 0.00");
    expect(toMember?.text).toContain("Pending contributions: KSh 300.00");
  });

  it("schedules reminders on Mondays 08:00 Nairobi and interest on the 1st, once per slot across nodes", async () => {
    const { dueJobsForTests } = await import("./support/chamahub-internals.ts");
    // Monday 2026-03-09 08:00 in Nairobi is 05:00 UTC.
    expect(dueJobsForTests(new Date("2026-03-09T04:59:00Z")).map((j) => j.dedupeKey)).not.toContain(
      "reminders:2026-03-09",
    );
    expect(dueJobsForTests(new Date("2026-03-09T05:00:00Z")).map((j) => j.dedupeKey)).toContain("reminders:2026-03-09");
    expect(dueJobsForTests(new Date("2026-03-10T05:00:00Z")).map((j) => j.type)).not.toContain("reminders");
    // 1 April 00:00 Nairobi is 31 March 21:00 UTC: March's interest is due from then.
    expect(dueJobsForTests(new Date("2026-03-31T20:59:00Z")).map((j) => j.dedupeKey)).toContain("interest:2026-02-01");
    expect(dueJobsForTests(new Date("2026-03-31T21:00:00Z")).map((j) => j.dedupeKey)).toContain("interest:2026-03-01");
    clock.at = new Date("2026-03-09T05:01:00Z");
    await hub().enqueueDue();
    await hub().enqueueDue();
    const rows = await selectRows<{ n: number | string }>(
      world.db.database,
      sql`select count(*) as n from chama_jobs where dedupe_key = 'reminders:2026-03-09'`,
    );
    expect(Number(rows[0]?.n)).toBe(1);
  });
});
