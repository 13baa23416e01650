import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const password = "sessions password 123";
const firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const safari =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

let db: TestDatabase;
let server: TestServer;
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** A fresh account with `devices` browsers signed in to the user realm (and the same email as an admin). */
async function accountWithDevices(devices: number) {
  n += 1;
  const email = `owner-${n}@example.com`;
  const principal = await createAccount(server.ctx, "user", email, password);
  await createAccount(server.ctx, "admin", email, password);
  const browsers: Browser[] = [];
  for (let i = 0; i < devices; i++) {
    const browser = new Browser(server.baseUrl);
    const ua = i % 2 === 0 ? firefox : safari;
    const login = await browser.request("POST", "/api/user/auth/login", {
      body: { email, password },
      headers: { "user-agent": ua },
    });
    expect(login.status).toBe(200);
    browsers.push(browser);
  }
  return { email, principal, browsers };
}

describe("own sessions", () => {
  it("lists the caller's live sessions with browser, OS and the current one marked; nothing secret", async () => {
    const { email, browsers } = await accountWithDevices(3);
    const [me] = browsers as [Browser];
    expect((await me.login("admin", email, password)).status).toBe(200);
    const listed = await me.request("GET", "/api/user/sessions");
    expect(listed.status).toBe(200);
    expect(listed.headers.get("cache-control")).toBe("no-store");
    const sessions = listed.body.sessions as any[];
    expect(sessions).toHaveLength(3);
    expect(sessions.every((s) => s.realm === "user")).toBe(true);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const current = sessions.find((s) => s.current);
    expect(current.id).toBe((await me.cookie("__Host-user_session"))?.split(".")[0]);
    expect(current).toMatchObject({ browser: "Firefox 133", os: "Windows 10", ip: "127.0.0.1" });
    expect(sessions.some((s) => s.browser === "Mobile Safari 17" && s.os === "iOS 17.5")).toBe(true);
    for (const key of ["createdAt", "lastActiveAt", "expiresAt", "idleExpiresAt"]) {
      expect(Number.isNaN(Date.parse(current[key]))).toBe(false);
    }
    const text = JSON.stringify(listed.body);
    expect(text).not.toMatch(/secret|hash|userAgent/i);
    for (const b of browsers) expect(text).not.toContain((await b.cookie("__Host-user_session"))?.split(".")[1]);
    const admin = await me.request("GET", "/api/admin/sessions");
    expect(admin.body.sessions).toHaveLength(1);
    expect(admin.body.sessions[0]).toMatchObject({ realm: "admin", current: true });
  });

  it("revoking one session ends exactly that one, on its very next request", async () => {
    const { browsers } = await accountWithDevices(3);
    const [me, victim, bystander] = browsers as [Browser, Browser, Browser];
    const victimId = (await victim.cookie("__Host-user_session"))?.split(".")[0];
    const revoked = await me.request("DELETE", `/api/user/sessions/${victimId}`, { realm: "user" });
    expect(revoked.status).toBe(204);
    expect((await victim.session("user")).status).toBe(401);
    expect((await bystander.session("user")).status).toBe(200);
    expect((await me.session("user")).status).toBe(200);
    const event = server.audit.events.find((e) => e.type === "session_revoked" && e.details.scope === "one");
    expect(event?.actor).toBe(`user:${event?.principalId}`);
    expect(event?.sessionIdHash).toMatch(/^[0-9a-f]{32}$/);
  });

  it("answers 404 for a session of another principal, of the other realm, or an unknown id", async () => {
    const mine = await accountWithDevices(1);
    const theirs = await accountWithDevices(1);
    const [me] = mine.browsers as [Browser];
    const [them] = theirs.browsers as [Browser];
    expect((await me.login("admin", mine.email, password)).status).toBe(200);
    const theirId = (await them.cookie("__Host-user_session"))?.split(".")[0];
    const myAdminId = (await me.cookie("__Host-admin_session"))?.split(".")[0];
    for (const id of [theirId, myAdminId, "no-such-session"]) {
      const response = await me.request("DELETE", `/api/user/sessions/${id}`, { realm: "user" });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe("not_found");
    }
    expect((await them.session("user")).status).toBe(200);
    expect((await me.session("admin")).status).toBe(200);
  });

  it("needs the CSRF token to revoke", async () => {
    const { browsers } = await accountWithDevices(2);
    const [me, other] = browsers as [Browser, Browser];
    const otherId = (await other.cookie("__Host-user_session"))?.split(".")[0];
    const response = await me.request("DELETE", `/api/user/sessions/${otherId}`, { csrf: null });
    expect(response.status).toBe(403);
    expect((await other.session("user")).status).toBe(200);
    const others = await me.request("POST", "/api/user/sessions/revoke-others", { csrf: null });
    expect(others.status).toBe(403);
    expect((await other.session("user")).status).toBe(200);
  });

  it("revoking the current session signs this browser out of that realm only", async () => {
    const { email, browsers } = await accountWithDevices(1);
    const [me] = browsers as [Browser];
    expect((await me.login("admin", email, password)).status).toBe(200);
    const id = (await me.cookie("__Host-user_session"))?.split(".")[0];
    const response = await me.request("DELETE", `/api/user/sessions/${id}`, { realm: "user" });
    expect(response.status).toBe(204);
    expect(response.setCookies.every((c) => c.startsWith("__Host-user_session=;"))).toBe(true);
    expect((await me.session("user")).status).toBe(401);
    expect((await me.session("admin")).status).toBe(200);
  });

  it("revoke-others ends every other session of the realm; this one and the other realm stay", async () => {
    const { email, browsers } = await accountWithDevices(4);
    const [me, ...others] = browsers as [Browser, ...Browser[]];
    expect((await me.login("admin", email, password)).status).toBe(200);
    const response = await me.request("POST", "/api/user/sessions/revoke-others", { realm: "user" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ revokedSessions: 3 });
    for (const other of others) expect((await other.session("user")).status).toBe(401);
    expect((await me.session("user")).status).toBe(200);
    expect((await me.session("admin")).status).toBe(200);
    const listed = await me.request("GET", "/api/user/sessions");
    expect(listed.body.sessions).toHaveLength(1);
  });

  it("requires a session", async () => {
    const anonymous = new Browser(server.baseUrl);
    expect((await anonymous.request("GET", "/api/user/sessions")).status).toBe(401);
    expect((await anonymous.request("POST", "/api/user/sessions/revoke-others")).status).toBe(401);
  });
});
