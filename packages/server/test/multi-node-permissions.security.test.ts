import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../src/app/index.ts";
import { abuseTestEnv } from "./support/abuse-env.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * Two nodes sharing one database and one Redis, each caching admins' permission sets: a role removed
 * (or edited) on node A, or an admin disabled there, is refused on node B at the very next request,
 * every time (issue 18). Fails without the fan-out: B would keep serving its cached set.
 */
const redisUrl = process.env.REDIS_URL;
const iterations = 1000;
const password = "permission nodes 12345";
const meta = { ip: null, throttleIp: null, userAgent: null };

let db: TestDatabase;
let nodes: TestServer[] = [];

function send(node: TestServer, method: string, path: string, session: { token: string; csrf: string }) {
  return fetch(`${node.baseUrl}${path}`, {
    method,
    headers: { cookie: `__Host-admin_session=${session.token}`, "x-csrf-token": session.csrf },
  });
}

/** Follows a rotation (privilege change): the answer carries the new token and CSRF token. */
function follow(response: Response, session: { token: string; csrf: string }) {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("__Host-admin_session="));
  const token = cookie?.split(";")[0]?.split("=")[1];
  const csrf = response.headers.get("x-csrf-token");
  if (token && csrf) {
    session.token = token;
    session.csrf = csrf;
  }
}

async function signIn(node: TestServer, principalId: string) {
  const created = await node.ctx.sessions.create("admin", principalId, { ip: null, userAgent: null });
  return { token: created.token, csrf: node.ctx.csrf.tokenFor(created.session) };
}

if (redisUrl) {
  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { ...abuseTestEnv({ THROTTLE_INVALID_TOKENS_PER_WINDOW: "1000000" }), REDIS_URL: redisUrl };
    nodes = [];
    for (let i = 0; i < 2; i++) nodes.push(await startTestServer({ database: db.database, env }));
    for (const node of nodes) {
      for (let i = 0; i < 100 && !node.ctx.sessionBus.usable(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(node.ctx.sessionBus.usable()).toBe(true);
    }
  }, 120_000);
  afterAll(async () => {
    for (const node of nodes) await node.close();
    await db?.drop();
  });

  describe("admin permission sets on two nodes", () => {
    it(`a role removed or edited on A is refused on B at the very next request (${iterations} iterations)`, async () => {
      const [a, b] = nodes as [TestServer, TestServer];
      const owner = await createAccount(a.ctx, "admin", "perm-owner@example.com", password);
      const victim = await createAccount(a.ctx, "admin", "perm-victim@example.com", password, { roles: [] });
      const actor: Actor = { realm: "admin", principalId: owner.id, sessionId: "test" };
      const role = await a.ctx.useCases.roles.createRole(
        actor,
        { name: "role-readers", permissions: ["roles.manage"] },
        meta,
      );
      let ownerSession = await signIn(a, owner.id);
      // One victim session throughout: each privilege change rotates it, and the test follows the new token.
      const session = await signIn(a, victim.id);
      let stale = 0;
      for (let i = 0; i < iterations; i++) {
        // Step-up holds 5 minutes from sign-in: a fresh owner session now and then.
        if (i % 200 === 199) ownerSession = await signIn(a, owner.id);
        await a.ctx.useCases.roles.grantRole(actor, victim.id, role.id, meta);
        // B caches the victim's permission set (and rotates the token the grant flagged).
        const warm = await send(b, "GET", "/api/admin/roles", session);
        expect(warm.status).toBe(200);
        follow(warm, session);
        if (i % 2 === 0) {
          const removed = await send(a, "DELETE", `/api/admin/admins/${victim.id}/roles/${role.id}`, ownerSession);
          expect(removed.status).toBe(204);
        } else {
          await a.ctx.useCases.roles.updateRole(actor, role.id, { permissions: ["audit.read"] }, meta);
        }
        const next = await send(b, "GET", "/api/admin/roles", session);
        if (next.status !== 403) stale += 1;
        follow(next, session);
        if (i % 2 === 1) {
          await a.ctx.useCases.roles.updateRole(actor, role.id, { permissions: ["roles.manage"] }, meta);
          await a.ctx.useCases.roles.removeRole(actor, victim.id, role.id, meta);
        }
      }
      expect(stale).toBe(0);
    }, 900_000);

    it(`an admin disabled on A holds nothing on B at the very next request (${iterations} iterations)`, async () => {
      const [a, b] = nodes as [TestServer, TestServer];
      const owner = await createAccount(a.ctx, "admin", "disable-owner@example.com", password);
      const victim = await createAccount(a.ctx, "admin", "disable-victim@example.com", password, {
        roles: ["security"],
      });
      const actor: Actor = { realm: "admin", principalId: owner.id, sessionId: "test" };
      let ownerSession = await signIn(a, owner.id);
      let stale = 0;
      for (let i = 0; i < iterations; i++) {
        if (i % 200 === 199) ownerSession = await signIn(a, owner.id);
        const session = await signIn(a, victim.id);
        expect((await send(b, "GET", "/api/admin/principals?pageSize=1", session)).status).toBe(200);
        const disabled = await send(a, "POST", `/api/admin/admins/${victim.id}/disable`, ownerSession);
        expect(disabled.status).toBe(200);
        // The request is refused, and B's resolver itself no longer grants anything.
        if ((await send(b, "GET", "/api/admin/principals?pageSize=1", session)).status === 200) stale += 1;
        if ((await b.ctx.permissions.permissionsOf({ realm: "admin", principalId: victim.id })).size > 0) stale += 1;
        await a.ctx.useCases.admin.enableAccount(actor, victim.id, meta);
      }
      expect(stale).toBe(0);
    }, 900_000);
  });
} else if (process.env.CI) {
  describe("admin permission sets on two nodes", () => {
    it("needs REDIS_URL in CI", () => {
      expect(redisUrl, "set REDIS_URL: the multi-node test must run in CI").toBeDefined();
    });
  });
} else {
  // Skipped only outside CI when no Redis is configured; CI sets REDIS_URL, and without it the branch above fails.
  describe.skip("admin permission sets on two nodes (set REDIS_URL to run)", () => {
    it("refuses removed permissions on every node", () => {});
  });
}
