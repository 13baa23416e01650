import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Browser } from "./support/browser.ts";
import { eventually } from "./support/eventually.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const password = "admin api password 1";
const adminEmail = "root@example.com";

let db: TestDatabase;
let server: TestServer;
let admin: Browser;
let adminId: string;
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
  adminId = (await createAccount(server.ctx, "admin", adminEmail, password)).id;
  admin = new Browser(server.baseUrl);
  expect((await admin.login("admin", adminEmail, password)).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

async function userWithSessions(count: number, realm = "user") {
  n += 1;
  const email = `managed-${n}@example.com`;
  const principal = await createAccount(server.ctx, realm, email, password);
  const browsers: Browser[] = [];
  for (let i = 0; i < count; i++) {
    const b = new Browser(server.baseUrl);
    expect((await b.login(realm, email, password)).status).toBe(200);
    browsers.push(b);
  }
  return { email, principal, browsers };
}

describe("admin API: principals", () => {
  it("lists principals of both realms, paginated, with search and a realm filter", async () => {
    for (let i = 0; i < 23; i++) await createAccount(server.ctx, "user", `bulk-${i}@example.com`, password);
    await createAccount(server.ctx, "admin", "bulk-admin@example.com", password);
    const first = await admin.request("GET", "/api/admin/principals?q=bulk-&pageSize=10");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: 24, page: 1, totalPages: 3 });
    expect(first.body.results).toHaveLength(10);
    const last = await admin.request("GET", "/api/admin/principals?q=bulk-&pageSize=10&page=3");
    expect(last.body.results).toHaveLength(4);
    const ids = new Set<string>();
    for (let page = 1; page <= 3; page++) {
      const r = await admin.request("GET", `/api/admin/principals?q=bulk-&pageSize=10&page=${page}`);
      for (const p of r.body.results) ids.add(p.id);
    }
    expect(ids.size).toBe(24);
    const admins = await admin.request("GET", "/api/admin/principals?q=bulk-&realm=admin");
    expect(admins.body.count).toBe(1);
    expect(admins.body.results[0]).toMatchObject({ realm: "admin", email: "bulk-admin@example.com", disabledAt: null });
    const defaults = await admin.request("GET", "/api/admin/principals");
    expect(defaults.body.results.length).toBe(20);
    expect(JSON.stringify(defaults.body)).not.toMatch(/argon2|passwordHash/);
    // Wildcards are literal.
    expect((await admin.request("GET", "/api/admin/principals?q=%25")).body.count).toBe(0);
    for (const bad of ["pageSize=101", "page=0", "realm=nope", "extra=1"]) {
      const r = await admin.request("GET", `/api/admin/principals?${bad}`);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("validation_failed");
    }
  });

  it("disable ends every session at once and refuses sign-in; enable lets the account sign in again", async () => {
    const { email, principal, browsers } = await userWithSessions(3);
    const disabled = await admin.request("POST", `/api/admin/principals/${principal.id}/disable`, { realm: "admin" });
    expect(disabled.status).toBe(200);
    expect(disabled.body.revokedSessions).toBe(3);
    expect(disabled.body.principal.disabledAt).not.toBeNull();
    for (const b of browsers) expect((await b.session("user")).status).toBe(401);
    const refused = await new Browser(server.baseUrl).login("user", email, password);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("invalid_credentials");
    // A reset link is not sent to a disabled account either.
    const before = server.mailer.sent.length;
    await new Browser(server.baseUrl).request("POST", "/api/user/auth/password-reset", { body: { email } });
    await eventually(() =>
      expect(server.audit.events.some((e) => e.type === "password_reset_requested" && e.details.email === email)).toBe(
        true,
      ),
    );
    expect(server.mailer.sent.length).toBe(before);

    const enabled = await admin.request("POST", `/api/admin/principals/${principal.id}/enable`, { realm: "admin" });
    expect(enabled.status).toBe(200);
    expect(enabled.body.principal.disabledAt).toBeNull();
    expect((await new Browser(server.baseUrl).login("user", email, password)).status).toBe(200);
    expect(server.audit.events.filter((e) => e.principalId === principal.id).map((e) => e.type)).toEqual(
      expect.arrayContaining(["account_disabled", "session_revoked", "account_enabled"]),
    );
    expect(server.audit.events.find((e) => e.type === "account_disabled")?.actor).toBe(`admin:${adminId}`);
  });

  it("refuses to disable the admin's own account, and answers 404 for an unknown id", async () => {
    const self = await admin.request("POST", `/api/admin/principals/${adminId}/disable`, { realm: "admin" });
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe("self_disable_refused");
    expect((await admin.session("admin")).status).toBe(200);
    const unknown = await admin.request("POST", `/api/admin/principals/${crypto.randomUUID()}/disable`, {
      realm: "admin",
    });
    expect(unknown.status).toBe(404);
  });
});

describe("admin API: sessions", () => {
  it("lists one principal's sessions and revokes one: that token fails on its very next request", async () => {
    const { principal, browsers } = await userWithSessions(2);
    const [a, b] = browsers as [Browser, Browser];
    const listed = await admin.request("GET", `/api/admin/principals/${principal.id}/sessions`);
    expect(listed.status).toBe(200);
    expect(listed.body.principal.id).toBe(principal.id);
    expect(listed.body.sessions).toHaveLength(2);
    expect(listed.body.sessions.every((s: any) => s.current === false)).toBe(true);
    const aId = (await a.cookie("__Host-user_session"))?.split(".")[0];
    const revoked = await admin.request("DELETE", `/api/admin/principals/${principal.id}/sessions/${aId}`, {
      realm: "admin",
    });
    expect(revoked.status).toBe(204);
    expect((await a.session("user")).status).toBe(401);
    expect((await b.session("user")).status).toBe(200);
    const again = await admin.request("DELETE", `/api/admin/principals/${principal.id}/sessions/${aId}`, {
      realm: "admin",
    });
    expect(again.status).toBe(404);
  });

  it("a session id of another principal cannot be revoked through this principal", async () => {
    const one = await userWithSessions(1);
    const other = await userWithSessions(1);
    const otherId = (await other.browsers[0]?.cookie("__Host-user_session"))?.split(".")[0];
    const r = await admin.request("DELETE", `/api/admin/principals/${one.principal.id}/sessions/${otherId}`, {
      realm: "admin",
    });
    expect(r.status).toBe(404);
    expect((await other.browsers[0]?.session("user"))?.status).toBe(200);
  });

  it("revoke-all ends every session of the principal on the next request, and nothing of anyone else", async () => {
    const { principal, browsers } = await userWithSessions(3);
    const bystander = await userWithSessions(1);
    const r = await admin.request("POST", `/api/admin/principals/${principal.id}/sessions/revoke-all`, {
      realm: "admin",
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ revokedSessions: 3 });
    for (const b of browsers) expect((await b.session("user")).status).toBe(401);
    expect((await bystander.browsers[0]?.session("user"))?.status).toBe(200);
    expect((await admin.session("admin")).status).toBe(200);
  });

  it("lists all active sessions, filtered by realm, with the principal's email", async () => {
    const { email } = await userWithSessions(2);
    const all = await admin.request("GET", "/api/admin/active-sessions?pageSize=100");
    expect(all.status).toBe(200);
    expect(all.body.results.filter((s: any) => s.email === email)).toHaveLength(2);
    expect(all.body.results.some((s: any) => s.realm === "admin" && s.current)).toBe(true);
    const admins = await admin.request("GET", "/api/admin/active-sessions?realm=admin");
    expect(admins.body.results.every((s: any) => s.realm === "admin")).toBe(true);
    const users = await admin.request("GET", "/api/admin/active-sessions?realm=user&pageSize=1");
    expect(users.body.results).toHaveLength(1);
    expect(users.body.totalPages).toBe(users.body.count);
  });
});

describe("admin API: access", () => {
  const routes: Array<[string, (id: string) => string]> = [
    ["GET", () => "/api/admin/principals"],
    ["GET", (id) => `/api/admin/principals/${id}/sessions`],
    ["DELETE", (id) => `/api/admin/principals/${id}/sessions/some-session`],
    ["POST", (id) => `/api/admin/principals/${id}/sessions/revoke-all`],
    ["POST", (id) => `/api/admin/principals/${id}/disable`],
    ["POST", (id) => `/api/admin/principals/${id}/enable`],
    ["GET", () => "/api/admin/active-sessions"],
    ["GET", () => "/api/admin/audit"],
    ["GET", () => "/api/admin/audit.csv"],
  ];

  it("needs an admin session: a user session in the same browser does not count", async () => {
    const { principal, browsers } = await userWithSessions(1);
    const [user] = browsers as [Browser];
    for (const [method, path] of routes) {
      const r = await user.request(method, path(principal.id), { realm: "user" });
      expect(r.status, `${method} ${path(principal.id)}`).toBe(401);
    }
    expect((await user.session("user")).status).toBe(200);
  });

  it("needs the CSRF token on unsafe methods", async () => {
    const { principal, browsers } = await userWithSessions(1);
    for (const [method, path] of routes.filter(([m]) => m !== "GET")) {
      const r = await admin.request(method, path(principal.id), { csrf: null });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe("csrf_token_invalid");
    }
    expect((await browsers[0]?.session("user"))?.status).toBe(200);
  });

  it("enforces each route's declared permission through the one resolver", async () => {
    const { principal, browsers } = await userWithSessions(1);
    const spy = vi.spyOn(server.ctx.permissions, "permissionsOf").mockResolvedValue(new Set());
    try {
      for (const [method, path] of routes) {
        const r = await admin.request(method, path(principal.id), { realm: "admin" });
        expect(r.status, `${method} ${path(principal.id)}`).toBe(403);
        expect(r.body.error.code).toBe("permission_denied");
        expect(typeof r.body.error.details.permission).toBe("string");
      }
      expect(spy).toHaveBeenCalledTimes(routes.length);
      const denied = server.audit.events.filter((e) => e.type === "permission_denied");
      expect(denied.length).toBeGreaterThanOrEqual(routes.length);
      expect(denied.at(-1)).toMatchObject({ realm: "admin", details: { permission: "audit.read" } });
    } finally {
      spy.mockRestore();
    }
    expect((await browsers[0]?.session("user"))?.status).toBe(200);
    const granted = await admin.request("GET", "/api/admin/principals", { realm: "admin" });
    expect(granted.status).toBe(200);
  });
});
