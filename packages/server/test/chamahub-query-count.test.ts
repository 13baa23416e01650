import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./support/browser.ts";
import { addManyMembers, type ChamaWorld, createChama, startChamaWorld } from "./support/chamahub.ts";
import { installQueryCounter } from "./support/query-counter.ts";

/**
 * Every ChamaHub list endpoint runs the same, small number of SQL statements whatever the page size
 * (1, 20, 100) and however many members the chama has (1 or 50): no query in a loop.
 */
describe("ChamaHub list endpoints: a fixed number of queries", () => {
  let world: ChamaWorld;
  let owner: Browser & { principalId: string };
  let admin: Browser & { principalId: string };
  const chamaBySize = new Map<number, string>();
  const counter = installQueryCounter();

  /** 120 contributions and 120 loans, spread over the chama's members. */
  async function fill(chamaId: string) {
    const db = world.db.database.db;
    const members = (await db.execute(sql`select id from chama_members where chama_id = ${chamaId}`)) as unknown as {
      rows: Array<{ id: string }>;
    };
    const ids = members.rows.map((r) => r.id);
    for (let i = 0; i < 120; i++) {
      const memberId = ids[i % ids.length];
      await db.execute(sql`insert into chama_contributions (id, chama_id, member_id, amount_cents, date, status, recorded_by, created_at)
        values (${randomUUID()}, ${chamaId}, ${memberId}, ${100 + i}, ${`2026-01-${String((i % 28) + 1).padStart(2, "0")}`}, 'pending', ${owner.principalId}, now())`);
      await db.execute(sql`insert into chama_loans (id, chama_id, member_id, principal_cents, annual_rate_bp, term_months, total_due_cents, requested_at)
        values (${randomUUID()}, ${chamaId}, ${memberId}, 1000, 1200, 3, 1030, now())`);
    }
  }

  beforeAll(async () => {
    world = await startChamaWorld();
    owner = await world.user("owner");
    admin = await world.admin("admin");
    for (const size of [1, 50]) {
      const chama = await createChama(owner, { name: `Counted ${size}` });
      if (size > 1) await addManyMembers(world, chama.id, size - 1);
      await fill(chama.id);
      chamaBySize.set(size, chama.id);
    }
    // Enough chamas for a full page of 100 in both lists.
    const db = world.db.database.db;
    for (let i = 0; i < 110; i++) {
      const id = randomUUID();
      await db.execute(
        sql`insert into chamas (id, name, created_by, created_at, updated_at, member_count) values (${id}, ${`Filler ${i}`}, ${owner.principalId}, now(), now(), 1)`,
      );
      await db.execute(
        sql`insert into chama_members (id, chama_id, principal_id, role, joined_at) values (${randomUUID()}, ${id}, ${owner.principalId}, 'chairperson', now())`,
      );
    }
    for (let i = 0; i < 105; i++)
      await world.server.ctx.useCases.chamaHub.queue.enqueue({
        type: "reminders",
        payload: {},
        startedBy: null,
        runAt: new Date(Date.now() + 3600_000),
      });
  }, 180_000);
  afterAll(async () => {
    counter.uninstall();
    await world.close();
  });

  const lists: Array<[string, (chamaId: string) => string, "user" | "admin"]> = [
    ["GET /api/chamas", () => "/api/chamas", "user"],
    ["GET /api/chamas?search=", () => "/api/chamas?search=count", "user"],
    ["GET /api/chamas/{id}/members", (id) => `/api/chamas/${id}/members`, "user"],
    ["GET /api/chamas/{id}/contributions", (id) => `/api/chamas/${id}/contributions`, "user"],
    [
      "GET /api/chamas/{id}/contributions?status=pending",
      (id) => `/api/chamas/${id}/contributions?status=pending&from=2026-01-01`,
      "user",
    ],
    ["GET /api/chamas/{id}/loans", (id) => `/api/chamas/${id}/loans`, "user"],
    ["GET /api/admin/chamas", () => "/api/admin/chamas", "admin"],
    ["GET /api/admin/jobs", () => "/api/admin/jobs", "admin"],
  ];

  it.each(lists)(
    "%s: the same count (≤ 5) at page sizes 1, 20, 100 with 1 and 50 members",
    async (_name, url, realm) => {
      const who = realm === "user" ? owner : admin;
      const counts: Record<string, number> = {};
      for (const [members, chamaId] of chamaBySize) {
        for (const pageSize of [1, 20, 100]) {
          const path = url(chamaId);
          const full = `${path}${path.includes("?") ? "&" : "?"}pageSize=${pageSize}`;
          await who.request("GET", full); // warm the session cache and the activity stamp
          let status = 0;
          let results = 0;
          const statements = await counter.count(async () => {
            const response = await who.request("GET", full);
            status = response.status;
            results = response.body.results.length;
          });
          expect(status).toBe(200);
          if (pageSize === 100 && !path.includes("search") && !path.includes("members"))
            expect(results).toBeGreaterThanOrEqual(50);
          // `select 1` is the database health probe, on its own timer (stores/database-health.ts), not this request.
          const own = statements.filter((s) => s.trim() !== "select 1");
          counts[`${members} members, page ${pageSize}`] = own.length;
          if (process.env.SHOW_SQL)
            console.log(
              full,
              own.map((s) => s.slice(0, 90)),
            );
        }
      }
      const values = Object.values(counts);
      expect(new Set(values).size, JSON.stringify(counts)).toBe(1);
      expect(values[0]).toBeLessThanOrEqual(5);
      expect(values[0]).toBeGreaterThan(0);
    },
  );
});
