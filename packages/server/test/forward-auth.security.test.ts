import { FixedClock, hashSessionId } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliMeta } from "../src/app/index.ts";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * GET /api/{realm}/auth/verify (forward auth, docs/forward-auth.md): the realm's cookie only, the
 * principal in headers, no cookie but the clearing of a dead one, activity unless passive, and the
 * CSRF and cross-site checks applied to the forwarded method.
 */
const password = "forward auth password 123";
const clock = new FixedClock("2026-06-01T09:00:00.000Z");
const partner = { name: "partner", idleTimeoutSeconds: 3600, absoluteTimeoutSeconds: 7200, selfSignup: true };
let db: TestDatabase;
let server: TestServer;
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, clock, env: { EXTRA_REALMS: JSON.stringify([partner]) } });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** A fresh account in `realm` and a browser signed in to it. */
async function signedIn(realm: string) {
  n += 1;
  const email = `forward-${n}@example.com`;
  const principal = await createAccount(server.ctx, realm, email, password);
  const browser = new Browser(server.baseUrl);
  const login = await browser.login(realm, email, password);
  expect(login.status).toBe(200);
  return { browser, email, principal, login };
}

const verify = (browser: Browser, realm: string, headers: Record<string, string> = {}, query = "") =>
  browser.request("GET", `/api/${realm}/auth/verify${query}`, { headers });

describe("forward auth answers", () => {
  it("200 with the principal in headers, the session id only as its audit hash, and no cookie", async () => {
    const { browser, email, principal, login } = await signedIn("user");
    const token = (await browser.cookie("__Host-user_session")) as string;
    const answer = await verify(browser, "user");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-gatehouse-principal-id")).toBe(principal.id);
    expect(answer.headers.get("x-gatehouse-realm")).toBe("user");
    expect(answer.headers.get("x-gatehouse-email")).toBe(email);
    expect(answer.headers.get("x-gatehouse-session-id")).toBe(hashSessionId(login.body.session.id));
    expect(answer.headers.get("x-gatehouse-csrf-token")).toBe(login.body.csrfToken);
    expect(answer.body.principal.id).toBe(principal.id);
    expect(answer.setCookies).toEqual([]);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    // Neither the token nor its secret half appears anywhere in the answer.
    const secret = token.split(".")[1] as string;
    const everything = JSON.stringify([...answer.headers]) + JSON.stringify(answer.body);
    expect(everything).not.toContain(secret);
    expect(answer.headers.get("x-gatehouse-session-id")).not.toContain(login.body.session.id);
  });

  it("401 not_authenticated without a cookie, and sets none", async () => {
    const answer = await verify(new Browser(server.baseUrl), "user");
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe("not_authenticated");
    expect(answer.setCookies).toEqual([]);
    expect(answer.headers.get("x-gatehouse-principal-id")).toBeNull();
  });

  it("reads only its own realm's cookie: a user session is nobody to the admin realm, and keeps its cookie", async () => {
    const { browser } = await signedIn("user");
    const admin = await verify(browser, "admin");
    expect(admin.status).toBe(401);
    expect(admin.setCookies).toEqual([]);
    expect((await verify(browser, "user")).status).toBe(200);
  });

  it("refuses a token of another realm placed in this realm's cookie, and clears only this realm's cookie", async () => {
    const { browser: adminBrowser } = await signedIn("admin");
    const adminToken = (await adminBrowser.cookie("__Host-admin_session")) as string;
    // A browser with no jar of its own, so the crafted Cookie header is exactly what is sent.
    const answer = await verify(new Browser(server.baseUrl), "user", { cookie: `__Host-user_session=${adminToken}` });
    expect(answer.status).toBe(401);
    expect(answer.setCookies).toHaveLength(1);
    expect(answer.setCookies[0]).toMatch(/^__Host-user_session=;/);
    expect((await verify(adminBrowser, "admin")).status).toBe(200);
  });

  it("refuses a revoked session on the very next request (warm cache) and clears that realm's cookie only", async () => {
    const { browser, login } = await signedIn("user");
    n += 1;
    await createAccount(server.ctx, "admin", `forward-${n}@example.com`, password);
    expect((await browser.login("admin", `forward-${n}@example.com`, password)).status).toBe(200);
    expect((await verify(browser, "user")).status).toBe(200);
    expect((await verify(browser, "user")).status).toBe(200);
    await server.ctx.sessions.revoke(login.body.session.id);
    const answer = await verify(browser, "user");
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe("not_authenticated");
    expect(answer.setCookies).toHaveLength(1);
    expect(answer.setCookies[0]).toMatch(/^__Host-user_session=;/);
    // The same browser's admin session is untouched.
    expect((await verify(browser, "admin")).status).toBe(200);
  });

  it("ends the session of a disabled account and says not_authenticated", async () => {
    const { browser, principal } = await signedIn("user");
    const { principal: admin, login } = await signedIn("admin");
    expect((await verify(browser, "user")).status).toBe(200);
    await server.ctx.useCases.admin.disableAccount(
      { realm: "admin", principalId: admin.id, sessionId: login.body.session.id },
      principal.id,
      cliMeta,
    );
    const answer = await verify(browser, "user");
    expect(answer.status).toBe(401);
    expect(answer.setCookies[0]).toMatch(/^__Host-user_session=;/);
  });

  it("exists for a realm added by EXTRA_REALMS, with that realm's cookie", async () => {
    const { browser, principal } = await signedIn("partner");
    const answer = await verify(browser, "partner");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-gatehouse-realm")).toBe("partner");
    expect(answer.headers.get("x-gatehouse-principal-id")).toBe(principal.id);
    expect((await verify(browser, "user")).status).toBe(401);
  });

  it("refuses a session token in the URL", async () => {
    const { browser } = await signedIn("user");
    const token = (await browser.cookie("__Host-user_session")) as string;
    const answer = await verify(browser, "user", {}, `?next=${encodeURIComponent(token)}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("token_in_url");
  });
});

describe("forward auth and activity", () => {
  it("counts as activity; ?passive=true and X-Gatehouse-Passive: true do not", async () => {
    clock.set("2026-06-01T09:00:00.000Z");
    const { browser } = await signedIn("admin");
    // Admin: idle 15 min, activity written at most every 90 s; the deadline counts that interval on top.
    clock.advance({ minutes: 5 });
    const byQuery = await verify(browser, "admin", {}, "?passive=true");
    expect(byQuery.body.session.idleExpiresAt).toBe("2026-06-01T09:16:30.000Z");
    const byHeader = await verify(browser, "admin", { "x-gatehouse-passive": "true" });
    expect(byHeader.body.session.idleExpiresAt).toBe("2026-06-01T09:16:30.000Z");
    const active = await verify(browser, "admin");
    expect(active.body.session.idleExpiresAt).toBe("2026-06-01T09:21:30.000Z");
    expect((await browser.session("admin", { passive: true })).body.session.idleExpiresAt).toBe(
      "2026-06-01T09:21:30.000Z",
    );
  });
});

describe("forward auth and CSRF", () => {
  it("lets safe forwarded methods through without a CSRF token", async () => {
    const { browser } = await signedIn("user");
    for (const method of ["GET", "HEAD", "OPTIONS", "get"]) {
      expect((await verify(browser, "user", { "x-forwarded-method": method })).status, method).toBe(200);
    }
  });

  it("refuses an unsafe forwarded method without the session's CSRF token, as a logged csrf_refused event", async () => {
    const { browser } = await signedIn("user");
    for (const method of ["POST", "put", "PATCH", "DELETE", "PROPFIND", "GET, POST"]) {
      const answer = await verify(browser, "user", { "x-forwarded-method": method });
      expect(answer.status, method).toBe(403);
      expect(answer.body.error.code).toBe("csrf_token_invalid");
      expect(answer.headers.get("x-gatehouse-principal-id")).toBeNull();
    }
    expect(server.audit.events.some((e) => e.type === "csrf_refused" && e.realm === "user")).toBe(true);
  });

  it("refuses another session's or another realm's CSRF token, and accepts the session's own", async () => {
    const { browser, email, login } = await signedIn("user");
    const other = await signedIn("user");
    await createAccount(server.ctx, "admin", email, password);
    const adminLogin = await new Browser(server.baseUrl).login("admin", email, password);
    expect(adminLogin.status).toBe(200);
    const post = (csrf: string) => verify(browser, "user", { "x-forwarded-method": "POST", "x-csrf-token": csrf });
    expect((await post(other.login.body.csrfToken)).status).toBe(403);
    expect((await post(adminLogin.body.csrfToken)).status).toBe(403);
    const accepted = await post(login.body.csrfToken);
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get("x-gatehouse-email")).toBe(email);
  });

  it("refuses an unsafe forwarded request that the browser says is cross-site, even with the token", async () => {
    const { browser, login } = await signedIn("user");
    const base = { "x-forwarded-method": "POST", "x-csrf-token": login.body.csrfToken };
    const evil = await verify(browser, "user", { ...base, origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe("cross_site_request");
    const site = await verify(browser, "user", { ...base, "sec-fetch-site": "cross-site" });
    expect(site.body.error.code).toBe("cross_site_request");
    expect((await verify(browser, "user", { ...base, origin: "http://localhost:3000" })).status).toBe(200);
    // A safe forwarded method is a navigation or a read: no origin rule, as for Gatehouse's own GETs.
    expect(
      (await verify(browser, "user", { "x-forwarded-method": "GET", origin: "https://evil.example" })).status,
    ).toBe(200);
  });

  it("X-Forwarded-Method means nothing on other routes: it never waives the CSRF check of a real POST", async () => {
    const { browser } = await signedIn("user");
    const logout = await browser.request("POST", "/api/user/auth/logout", {
      csrf: null,
      headers: { "x-forwarded-method": "GET" },
    });
    expect(logout.status).toBe(403);
    expect(logout.body.error.code).toBe("csrf_token_invalid");
    const session = await browser.request("GET", "/api/user/auth/session", {
      headers: { "x-forwarded-method": "POST" },
    });
    expect(session.status).toBe(200);
  });

  it("is a GET route only: a POST to it is not another way in", async () => {
    const { browser } = await signedIn("user");
    const answer = await browser.request("POST", "/api/user/auth/verify", { body: {} });
    expect(answer.status).toBe(405);
  });
});
