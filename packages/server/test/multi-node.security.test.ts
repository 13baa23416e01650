import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abuseTestEnv } from "./support/abuse-env.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * Three nodes sharing one database and one Redis, each with its own session cache: a revocation on
 * node A is refused on B and C by the very next request, every time (SPEC §9, issue 15).
 */
const redisUrl = process.env.REDIS_URL;
const iterations = 1000;
const password = "node password 12345";

let db: TestDatabase;
let nodes: TestServer[] = [];

async function get(node: TestServer, token: string) {
  return fetch(`${node.baseUrl}/api/user/sessions`, { headers: { cookie: `__Host-user_session=${token}` } });
}

async function post(node: TestServer, realm: string, path: string, token: string, csrf: string, body?: unknown) {
  return fetch(`${node.baseUrl}${path}`, {
    method: "POST",
    headers: {
      cookie: `__Host-${realm}_session=${token}`,
      "x-csrf-token": csrf,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

if (redisUrl) {
  beforeAll(async () => {
    db = await createTestDatabase();
    // One prefix for all three: they are one deployment.
    const env = { ...abuseTestEnv({ THROTTLE_INVALID_TOKENS_PER_WINDOW: "1000000" }), REDIS_URL: redisUrl };
    nodes = [];
    for (let i = 0; i < 3; i++) nodes.push(await startTestServer({ database: db.database, env }));
    // Wait until every node hears its own heartbeats (its cache is in use from then on).
    for (const node of nodes) {
      for (let i = 0; i < 100 && !node.ctx.sessionBus.usable(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(node.ctx.sessionBus.usable()).toBe(true);
    }
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
    await db?.drop();
  });

  describe("three nodes on one PostgreSQL and one Redis", () => {
    it(`refuses a token revoked on A on B and C at the very next request (${iterations} iterations)`, async () => {
      const [a, b, c] = nodes as [TestServer, TestServer, TestServer];
      const user = await createAccount(a.ctx, "user", "nodes@example.com", password);
      const admin = await createAccount(a.ctx, "admin", "nodes-admin@example.com", "admin password 12345");
      const adminSession = await a.ctx.sessions.create("admin", admin.id, { ip: null, userAgent: null });
      const adminCsrf = a.ctx.csrf.tokenFor(adminSession.session);
      let currentPassword = password;
      let stale = 0;
      const actions = ["logout", "revoke-others", "password", "disable"] as const;
      for (let i = 0; i < iterations; i++) {
        const action = actions[i % actions.length] as (typeof actions)[number];
        const victim = await a.ctx.sessions.create("user", user.id, { ip: null, userAgent: null });
        // Warm both caches with the victim's session.
        for (const node of [b, c]) expect((await get(node, victim.token)).status).toBe(200);
        if (action === "logout") {
          const r = await post(a, "user", "/api/user/auth/logout", victim.token, a.ctx.csrf.tokenFor(victim.session));
          expect(r.status).toBe(204);
        } else {
          const actor = await a.ctx.sessions.create("user", user.id, { ip: null, userAgent: null });
          const csrf = a.ctx.csrf.tokenFor(actor.session);
          if (action === "revoke-others") {
            expect((await post(a, "user", "/api/user/sessions/revoke-others", actor.token, csrf)).status).toBe(200);
          } else if (action === "password") {
            const next = currentPassword === password ? `${password} b` : password;
            const r = await post(a, "user", "/api/user/auth/password", actor.token, csrf, {
              currentPassword,
              newPassword: next,
            });
            expect(r.status).toBe(200);
            currentPassword = next;
          } else {
            const path = `/api/admin/principals/${user.id}/disable`;
            expect((await post(a, "admin", path, adminSession.token, adminCsrf)).status).toBe(200);
            const enable = `/api/admin/principals/${user.id}/enable`;
            expect((await post(a, "admin", enable, adminSession.token, adminCsrf)).status).toBe(200);
          }
          await a.ctx.sessions.revokeAllForPrincipal("user", user.id);
        }
        for (const node of [b, c]) if ((await get(node, victim.token)).status !== 401) stale += 1;
      }
      expect(stale).toBe(0);
    }, 600_000);

    it("a password changed on A is checked as changed on B at once (no cached old hash)", async () => {
      const [a, b] = nodes as [TestServer, TestServer];
      const user = await createAccount(a.ctx, "user", "hash@example.com", password);
      const onA = await a.ctx.sessions.create("user", user.id, { ip: null, userAgent: null });
      const onB = await a.ctx.sessions.create("user", user.id, { ip: null, userAgent: null });
      // B reads (and caches) the principal.
      const session = await fetch(`${b.baseUrl}/api/user/auth/session`, {
        headers: { cookie: `__Host-user_session=${onB.token}` },
      });
      expect(session.status).toBe(200);
      const changed = await post(a, "user", "/api/user/auth/password", onA.token, a.ctx.csrf.tokenFor(onA.session), {
        currentPassword: password,
        newPassword: "brand new password 777",
      });
      expect(changed.status).toBe(200);
      const fresh = await a.ctx.sessions.create("user", user.id, { ip: null, userAgent: null });
      const withOld = await post(
        b,
        "user",
        "/api/user/auth/password",
        fresh.token,
        b.ctx.csrf.tokenFor(fresh.session),
        {
          currentPassword: password,
          newPassword: "another password 888",
        },
      );
      expect(withOld.status).toBe(401);
    });

    it("counts throttled failures across nodes", async () => {
      const [a, b] = nodes as [TestServer, TestServer];
      const ip = "198.51.100.200";
      const login = (node: TestServer) =>
        fetch(`${node.baseUrl}/api/user/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": ip },
          body: JSON.stringify({ email: "nobody@example.com", password: "wrong password 000" }),
        });
      for (let i = 0; i < 5; i++) expect((await login(i % 2 === 0 ? a : b)).status).toBe(401);
      expect((await login(b)).status).toBe(429);
      expect((await login(a)).status).toBe(429);
    });
  });
} else if (process.env.CI) {
  describe("three nodes on one PostgreSQL and one Redis", () => {
    it("needs REDIS_URL in CI", () => {
      expect(redisUrl, "set REDIS_URL: the multi-node test must run in CI").toBeDefined();
    });
  });
} else {
  // Skipped only outside CI when no Redis is configured (a newcomer's `npm test` needs none); CI sets
  // REDIS_URL, and without it the branch above fails instead.
  describe.skip("three nodes on one PostgreSQL and one Redis (set REDIS_URL to run)", () => {
    it("refuses revoked tokens on every node", () => {});
  });
}
