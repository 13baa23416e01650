import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../src/http/context.ts";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const email = "achieng@example.com";
const userPassword = "user password 12345";
const adminPassword = "admin password 12345";
/** PUBLIC_URL of the test server: the only origin allowed to send unsafe requests. */
const ownOrigin = "http://localhost:3000";
const evilOrigin = "https://evil.example";

let db: TestDatabase;
let server: TestServer;

/** A test-only authenticated POST, standing in for every state-changing endpoint of the realm. */
function addAuthenticatedPost(app: FastifyInstance, ctx: AppContext) {
  const realm = ctx.realms.get("user");
  app.post("/api/user/test/change", { config: { gatehouse: { realm, auth: "required" } } }, async (request) => ({
    changedBy: request.auth?.session.principalId,
  }));
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, beforeListen: addAuthenticatedPost });
  await createAccount(server.ctx, "user", email, userPassword);
  await createAccount(server.ctx, "admin", email, adminPassword);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

async function signedIn(): Promise<Browser> {
  const browser = new Browser(server.baseUrl);
  expect((await browser.login("user", email, userPassword)).status).toBe(200);
  expect((await browser.login("admin", email, adminPassword)).status).toBe(200);
  return browser;
}

const change = (browser: Browser, options: { csrf?: string | null; headers?: Record<string, string> } = {}) =>
  browser.request("POST", "/api/user/test/change", { realm: "user", ...options });

describe("CSRF tokens are bound to one session in one realm", () => {
  it("accepts the session's own token", async () => {
    const browser = await signedIn();
    const response = await change(browser);
    expect(response.status).toBe(200);
    expect(response.body.changedBy).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses a missing token, on an authenticated POST and on logout", async () => {
    const browser = await signedIn();
    const post = await change(browser, { csrf: null });
    expect(post.status).toBe(403);
    expect(post.body.error.code).toBe("csrf_token_invalid");
    const logout = await browser.request("POST", "/api/user/auth/logout", { csrf: null });
    expect(logout.status).toBe(403);
    expect(logout.body.error.code).toBe("csrf_token_invalid");
    expect(logout.setCookies).toEqual([]);
    expect((await browser.session("user")).status).toBe(200); // the refused logout ended nothing
  });

  it("refuses the token of another session of the same principal", async () => {
    const browser = await signedIn();
    const other = await signedIn();
    expect(other.csrf.user).not.toBe(browser.csrf.user);
    expect((await change(browser, { csrf: other.csrf.user })).body.error.code).toBe("csrf_token_invalid");
    expect((await browser.logout("user")).status).toBe(204);
  });

  it("refuses the token of the other realm in the same browser", async () => {
    const browser = await signedIn();
    expect(browser.csrf.admin).toBeDefined();
    const response = await change(browser, { csrf: browser.csrf.admin });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("csrf_token_invalid");
    const logout = await browser.request("POST", "/api/admin/auth/logout", { csrf: browser.csrf.user });
    expect(logout.body.error.code).toBe("csrf_token_invalid");
    expect((await browser.session("admin")).status).toBe(200);
  });

  it("refuses a token after logout, even with a new session in the same browser", async () => {
    const browser = await signedIn();
    const oldToken = browser.csrf.user;
    expect((await browser.logout("user")).status).toBe(204);
    expect((await browser.login("user", email, userPassword)).status).toBe(200);
    expect(browser.csrf.user).not.toBe(oldToken);
    expect((await change(browser, { csrf: oldToken })).body.error.code).toBe("csrf_token_invalid");
    expect((await change(browser)).status).toBe(200);
  });

  it("returns the token from GET /session, and it is the one login gave", async () => {
    const browser = await signedIn();
    const fromLogin = browser.csrf.user;
    const session = await browser.session("user");
    expect(session.body.csrfToken).toBe(fromLogin);
  });

  it("counts and records each refusal", async () => {
    const browser = await signedIn();
    const before = server.audit.events.filter((e) => e.type === "csrf_refused").length;
    await change(browser, { csrf: "forged" });
    const events = server.audit.events.filter((e) => e.type === "csrf_refused");
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ realm: "user", details: { route: "/api/user/test/change" } });
    expect(JSON.stringify(events.at(-1))).not.toContain("forged");
    const metrics = await fetch(`${server.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/gatehouse_csrf_refused_total\{realm="user"\} [1-9]/);
  });
});

describe("cross-site unsafe requests are refused before anything else", () => {
  const crossSite: { name: string; headers: Record<string, string> }[] = [
    { name: "a foreign Origin", headers: { origin: evilOrigin } },
    { name: "Origin: null", headers: { origin: "null" } },
    { name: "Sec-Fetch-Site: cross-site", headers: { "sec-fetch-site": "cross-site" } },
    { name: "Sec-Fetch-Site: same-site (a sibling subdomain)", headers: { "sec-fetch-site": "same-site" } },
    {
      name: "our Origin but Sec-Fetch-Site: cross-site",
      headers: { origin: ownOrigin, "sec-fetch-site": "cross-site" },
    },
  ];

  for (const { name, headers } of crossSite) {
    it(`refuses login, signup, logout and an authenticated POST with ${name}`, async () => {
      const browser = await signedIn();
      const login = await browser.request("POST", "/api/user/auth/login", {
        body: { email, password: userPassword },
        headers,
      });
      const signup = await browser.request("POST", "/api/user/auth/signup", {
        body: { email: `new-${crypto.randomUUID()}@example.com`, password: "a long new password 42" },
        headers,
      });
      const logout = await browser.request("POST", "/api/user/auth/logout", { realm: "user", headers });
      const post = await change(browser, { headers });
      for (const response of [login, signup, logout, post]) {
        expect(response.status).toBe(403);
        expect(response.body.error.code).toBe("cross_site_request");
        expect(response.setCookies).toEqual([]);
      }
      // Nothing happened: still signed in with the same session, no account was created.
      expect((await browser.session("user")).status).toBe(200);
      expect((await change(browser)).status).toBe(200);
    });
  }

  it("counts and records cross-site refusals without the body", async () => {
    const before = server.audit.events.filter((e) => e.type === "cross_site_refused").length;
    const browser = new Browser(server.baseUrl);
    await browser.request("POST", "/api/user/auth/login", {
      body: { email, password: userPassword },
      headers: { origin: evilOrigin },
    });
    const events = server.audit.events.filter((e) => e.type === "cross_site_refused");
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)?.details).toMatchObject({ reason: "origin", route: "/api/user/auth/login" });
    expect(JSON.stringify(events)).not.toContain(userPassword);
    const metrics = await fetch(`${server.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/gatehouse_cross_site_refused_total\{realm="user"\} [1-9]/);
  });
});

describe("same-origin and header-less requests behave as docs/csrf.md says", () => {
  const allowed: { name: string; headers: Record<string, string> }[] = [
    {
      name: "our own Origin and Sec-Fetch-Site: same-origin",
      headers: { origin: ownOrigin, "sec-fetch-site": "same-origin" },
    },
    { name: "our own Origin alone", headers: { origin: ownOrigin } },
    { name: "no Origin and Sec-Fetch-Site: same-origin", headers: { "sec-fetch-site": "same-origin" } },
    { name: "no Origin and Sec-Fetch-Site: none (typed by the user)", headers: { "sec-fetch-site": "none" } },
    { name: "neither header (a non-browser client)", headers: {} },
  ];

  for (const { name, headers } of allowed) {
    it(`allows login, an authenticated POST and logout with ${name}`, async () => {
      const browser = new Browser(server.baseUrl);
      const login = await browser.request("POST", "/api/user/auth/login", {
        body: { email, password: userPassword },
        headers,
      });
      expect(login.status).toBe(200);
      expect((await change(browser, { headers })).status).toBe(200);
      // The CSRF token is still required without Origin: the header-less case is not a bypass.
      expect((await change(browser, { headers, csrf: null })).body.error.code).toBe("csrf_token_invalid");
      expect((await browser.request("POST", "/api/user/auth/logout", { realm: "user", headers })).status).toBe(204);
    });
  }

  it("does not refuse safe methods from another site (SameSite and CORS govern those)", async () => {
    const browser = await signedIn();
    const response = await browser.request("GET", "/api/user/auth/session", {
      headers: { origin: evilOrigin, "sec-fetch-site": "cross-site" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
