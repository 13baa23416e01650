import { type ChildProcess, spawn } from "node:child_process";
import { createConnection } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abuseTestEnv } from "./support/abuse-env.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * Two nodes on a Redis of their own, which the test kills and restarts: while it is gone, no node
 * accepts a revoked session and nothing answers 500; the sessions keep working from the database; when
 * it is back, the caches are used again on their own.
 */
const port = 20_000 + Math.floor(Math.random() * 20_000);
const redisUrl = `redis://127.0.0.1:${port}`;
const canRun = Boolean(process.env.REDIS_URL); // a Redis server binary is on machines where Redis is configured

let redis: ChildProcess | null = null;
let db: TestDatabase;
let nodes: TestServer[] = [];

function startRedis(): Promise<void> {
  redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  return waitFor(() => ping(), 10_000);
}

function ping(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const get = (node: TestServer, token: string) =>
  fetch(`${node.baseUrl}/api/user/sessions`, { headers: { cookie: `__Host-user_session=${token}` } });

(canRun ? describe : describe.skip)("a Redis outage under two nodes", () => {
  beforeAll(async () => {
    await startRedis();
    db = await createTestDatabase();
    const env = { ...abuseTestEnv({ THROTTLE_INVALID_TOKENS_PER_WINDOW: "1000000" }), REDIS_URL: redisUrl };
    nodes = [
      await startTestServer({ database: db.database, env }),
      await startTestServer({ database: db.database, env }),
    ];
    for (const node of nodes) await waitFor(() => node.ctx.sessionBus.usable(), 10_000);
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
    redis?.kill("SIGKILL");
    await db?.drop();
  });

  it("refuses revoked sessions and keeps serving while Redis is gone, and caches again when it is back", async () => {
    const [a, b] = nodes as [TestServer, TestServer];
    const user = await createAccount(a.ctx, "user", "outage@example.com", "outage password 12345");
    const victim = await a.ctx.sessions.create("user", user.id, { ip: null, userAgent: null });
    const keeper = await a.ctx.sessions.create("user", user.id, { ip: null, userAgent: null });
    expect((await get(b, victim.token)).status).toBe(200); // cached on B

    redis?.kill("SIGKILL");
    await waitFor(async () => !(await ping()), 5000);
    // Revoked on A while nobody can be told: A waits out the staleness bound instead of failing.
    const logout = await fetch(`${a.baseUrl}/api/user/auth/logout`, {
      method: "POST",
      headers: { cookie: `__Host-user_session=${victim.token}`, "x-csrf-token": a.ctx.csrf.tokenFor(victim.session) },
    });
    expect(logout.status).toBe(204);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const revoked = await get(b, victim.token);
      // Refused: 401, or 503 where counting the bad cookie needs the (unreachable) throttle store.
      expect([401, 503]).toContain(revoked.status);
      statuses.push((await get(b, keeper.token)).status);
    }
    expect(statuses.every((s) => s === 200)).toBe(true); // served from the database all along
    expect(b.ctx.sessionBus.usable()).toBe(false);

    await startRedis();
    for (const node of nodes) await waitFor(() => node.ctx.sessionBus.usable(), 15_000);
    expect((await get(b, keeper.token)).status).toBe(200);
    expect((await get(b, victim.token)).status).toBe(401);
  }, 60_000);
});
