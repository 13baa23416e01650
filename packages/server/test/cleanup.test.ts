import { FixedClock } from "@gatehouse/core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.ts";
import { type CleanupProgress, cleanupBacklog, runCleanup } from "../src/jobs/cleanup.ts";
import { type CleanupTarget, expiredSessions } from "../src/jobs/cleanup-targets.ts";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const password = "cleanup password 123";
const cronSecret = "cron-secret-0123456789-0123456789-abcdef";
const clock = new FixedClock("2026-07-01T12:00:00.000Z");

let db: TestDatabase;
let server: TestServer;
let principalId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, clock, env: { CRON_SECRET: cronSecret } });
  principalId = (await createAccount(server.ctx, "user", "bulk@example.com", password)).id;
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** Inserts sessions with one statement: `expired` past a deadline (half idle, half absolute) and `live` ones. */
async function insertSessions(options: { expired: number; live: number; tag: string }) {
  const now = clock.now();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const tomorrow = new Date(now.getTime() + 86_400_000).toISOString();
  await server.ctx.database.db.execute(sql`
    insert into sessions (id, realm, principal_id, secret_hash, created_at, last_activity_at, idle_expires_at, expires_at, remember_me)
    select ${options.tag} || '-' || g, 'user', ${principalId}::uuid, 'x', ${hourAgo}::timestamptz, ${hourAgo}::timestamptz,
      case when g <= ${options.expired} and g % 2 = 0 then ${hourAgo}::timestamptz else ${tomorrow}::timestamptz end,
      case when g <= ${options.expired} and g % 2 = 1 then ${hourAgo}::timestamptz else ${tomorrow}::timestamptz end,
      false
    from generate_series(1, ${options.expired + options.live}) g`);
}

async function countSessions(where = sql`true`): Promise<number> {
  const result = await server.ctx.database.db.execute<{ n: number | string }>(
    sql`select count(*) as n from sessions where ${where}`,
  );
  return Number((result as unknown as { rows: Array<{ n: number | string }> }).rows[0]?.n);
}

describe("cleanup job", () => {
  it("deletes exactly the 100,000 expired sessions in bounded batches while authenticated requests keep succeeding", async () => {
    const browser = new Browser(server.baseUrl);
    expect((await browser.login("user", "bulk@example.com", password)).status).toBe(200);
    await insertSessions({ expired: 100_000, live: 1_000, tag: "bulk" });
    expect(await countSessions()).toBe(101_001);
    expect(await cleanupBacklog(server.ctx)).toEqual({ sessions: 100_000, resetTokens: 0 });

    const batches: CleanupProgress[] = [];
    let cleaning = true;
    const statuses: number[] = [];
    const stream = (async () => {
      while (cleaning) statuses.push((await browser.session("user")).status);
    })();
    const report = await runCleanup(server.ctx, { trigger: "cli", onBatch: (p) => void batches.push(p) });
    cleaning = false;
    await stream;

    expect(report.ran).toBe(true);
    expect(report.deleted).toEqual({ sessions: 100_000, resetTokens: 0, otpCodes: 0, throttleRows: 0 });
    expect(await countSessions()).toBe(1_001);
    expect(await cleanupBacklog(server.ctx)).toEqual({ sessions: 0, resetTokens: 0 });
    expect(await countSessions(sql`id like 'bulk-%' and cast(substr(id, 6) as int) > 100000`)).toBe(1_000);
    const sessionBatches = batches.filter((b) => b.target === "sessions");
    expect(sessionBatches.length).toBeGreaterThanOrEqual(100);
    expect(Math.max(...sessionBatches.map((b) => b.deleted))).toBe(1_000);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await browser.session("user")).status).toBe(200);
    const event = server.audit.events.findLast((e) => e.type === "cleanup_ran");
    expect(event?.actor).toBe("system:cli");
    expect(event?.details).toMatchObject({ deleted: { sessions: 100_000, resetTokens: 0 } });
  });

  it("deletes expired reset tokens and keeps live ones", async () => {
    const issued = await server.ctx.passwords.requestReset("user", "bulk@example.com");
    clock.advance({ minutes: 31 });
    const live = await createAccount(server.ctx, "user", `live-${crypto.randomUUID()}@example.com`, password);
    const kept = await server.ctx.passwords.requestReset("user", live.email);
    const report = await runCleanup(server.ctx, { trigger: "cli" });
    expect(report.deleted.resetTokens).toBe(1);
    expect(issued).not.toBeNull();
    const done = await server.ctx.passwords.confirmReset("user", {
      token: kept?.token ?? "",
      newPassword: "a new password 4321",
    });
    expect(done.principal.id).toBe(live.id);
  });

  it("runs any list of targets, each in batches of at most the batch size, and reports each", async () => {
    let remaining = 2_345;
    const limits: number[] = [];
    const otpCodes: CleanupTarget = {
      name: "otpCodes",
      deleteBatch: async (_db, _now, limit) => {
        limits.push(limit);
        const n = Math.min(limit, remaining);
        remaining -= n;
        return n;
      },
    };
    const report = await runCleanup(server.ctx, {
      trigger: "cli",
      targets: [expiredSessions, otpCodes],
      batchSize: 500,
    });
    expect(report.deleted).toEqual({ sessions: 0, otpCodes: 2_345 });
    expect(limits).toEqual([500, 500, 500, 500, 500]);
    expect(report.batches).toBe(1 + 5);
    expect(await cleanupBacklog(server.ctx, [expiredSessions, otpCodes])).toEqual({ sessions: 0 });
  });

  it("two concurrent runs never both delete: the second finds the lock held and skips", async () => {
    await insertSessions({ expired: 3_000, live: 0, tag: `race-${Date.now()}` });
    // Another "node": on PostgreSQL a second connection pool to the same database, so only
    // pg_try_advisory_lock can keep the runs apart. PGlite has one process by construction (lock file).
    const other = onPostgres ? await openDatabase({ databaseUrl: db.url as string, poolSize: 2 }) : null;
    const otherNode = { ...server.ctx, database: other ?? server.ctx.database };
    try {
      let second: Awaited<ReturnType<typeof runCleanup>> | undefined;
      const first = await runCleanup(server.ctx, {
        trigger: "schedule",
        onBatch: async () => {
          // While the first run is mid-way, a second runner tries.
          second ??= await runCleanup(otherNode, { trigger: "schedule" });
        },
      });
      expect(first.ran).toBe(true);
      expect(first.deleted.sessions).toBe(3_000);
      expect(second).toEqual({ ran: false, deleted: {}, batches: 0, durationMs: 0 });
      // Once released, the other node can run.
      expect((await runCleanup(otherNode, { trigger: "schedule" })).ran).toBe(true);
    } finally {
      await other?.close();
    }
  });
});

describe("cron endpoint", () => {
  const path = "/api/cron/cleanup-sessions";

  it("runs the cleanup with the right bearer secret, by GET or POST, and reports counts", async () => {
    await insertSessions({ expired: 10, live: 0, tag: `cron-${Date.now()}` });
    const browser = new Browser(server.baseUrl);
    const post = await browser.request("POST", path, { headers: { authorization: `Bearer ${cronSecret}` } });
    expect(post.status).toBe(200);
    expect(post.body).toMatchObject({ ran: true, deleted: { sessions: 10, resetTokens: 0 } });
    expect(post.setCookies).toEqual([]);
    const get = await browser.request("GET", path, { headers: { authorization: `Bearer ${cronSecret}` } });
    expect(get.status).toBe(200);
    expect(get.body.deleted.sessions).toBe(0);
    expect(server.audit.events.findLast((e) => e.type === "cleanup_ran")?.actor).toBe("system:cron");
  });

  it("answers 401 for a missing, wrong, truncated or non-bearer secret", async () => {
    await insertSessions({ expired: 5, live: 0, tag: `cron-denied-${Date.now()}` });
    const before = await countSessions();
    const browser = new Browser(server.baseUrl);
    for (const authorization of [
      undefined,
      "Bearer wrong-secret",
      `Bearer ${cronSecret.slice(0, -1)}`,
      `Bearer ${cronSecret}x`,
      `Basic ${cronSecret}`,
      cronSecret,
      "Bearer ",
    ]) {
      for (const method of ["GET", "POST"]) {
        const r = await browser.request(method, path, { headers: authorization ? { authorization } : {} });
        expect(r.status, `${method} ${authorization}`).toBe(401);
        expect(r.body.error.code).toBe("cron_unauthorized");
      }
    }
    expect(await countSessions()).toBe(before);
  });

  it("does not exist (404) when no CRON_SECRET is configured", async () => {
    const bare = await startTestServer({ database: db.database, clock });
    try {
      for (const method of ["GET", "POST"]) {
        const r = await new Browser(bare.baseUrl).request(method, path, {
          headers: { authorization: `Bearer ${cronSecret}` },
        });
        expect(r.status).toBe(404);
        expect(r.body.error.code).toBe("not_found");
      }
    } finally {
      await bare.close();
    }
  });
});
