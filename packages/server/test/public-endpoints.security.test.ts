import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const email = "otieno@example.com";
const password = "user password 12345";

let db: TestDatabase;
let server: TestServer;
let signedIn: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
  await createAccount(server.ctx, "user", email, password);
  await createAccount(server.ctx, "admin", email, password);
  signedIn = new Browser(server.baseUrl);
  expect((await signedIn.login("user", email, password)).status).toBe(200);
  expect((await signedIn.login("admin", email, password)).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** Every concrete public route from the app's own route table (HEAD is Fastify's automatic twin of GET). */
function publicRoutes() {
  return server.app.routeTable.filter((r) => r.url.startsWith("/api/public/") && !r.url.includes("*"));
}

async function call(method: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, server.baseUrl), { method, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, setCookies: response.headers.getSetCookie() };
}

/** What must not differ between two answers of one endpoint (captcha bodies are random by design). */
function shape(response: Awaited<ReturnType<typeof call>>) {
  const body = response.text ? JSON.parse(response.text) : null;
  const keys = (value: unknown): unknown =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keys(v)]))
      : typeof value;
  const headerNames = [...response.headers.keys()].filter((h) => !["date", "content-length", "keep-alive"].includes(h));
  return { status: response.status, body: keys(body), headers: headerNames.sort() };
}

describe("public endpoints are sessionless (seed 000)", () => {
  it("the route table has the public endpoints this test is about", () => {
    const urls = publicRoutes().map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(expect.arrayContaining(["GET /api/public/captcha", "GET /api/public/otp-settings"]));
  });

  it("never sets a cookie, with or without session cookies, and never reads the session", async () => {
    const validations: string[] = [];
    const original = server.ctx.sessions.validate.bind(server.ctx.sessions);
    server.ctx.sessions.validate = async (realm, token, options) => {
      validations.push(realm);
      return original(realm, token, options);
    };
    try {
      const sessionCookies = await signedIn.jar.getCookieString(server.baseUrl);
      expect(sessionCookies).toContain("__Host-user_session=");
      expect(sessionCookies).toContain("__Host-admin_session=");
      const garbage = "__Host-user_session=garbage; __Host-admin_session=garbage.garbage; user_session=x";
      for (const route of publicRoutes()) {
        const bare = await call(route.method, route.url);
        const withSession = await call(route.method, route.url, { cookie: sessionCookies });
        const withGarbage = await call(route.method, route.url, { cookie: garbage });
        // A cross-site caller with cookies and no CSRF token gets the same answer.
        const crossSite = await call(route.method, route.url, {
          cookie: sessionCookies,
          origin: "https://elsewhere.example",
          "sec-fetch-site": "cross-site",
        });
        for (const response of [bare, withSession, withGarbage, crossSite]) {
          expect(response.status, `${route.method} ${route.url}`).toBe(200);
          expect(response.setCookies, `${route.method} ${route.url}`).toEqual([]);
          expect(response.headers.get("set-cookie")).toBeNull();
          expect(shape(response)).toEqual(shape(bare));
        }
        if (route.url === "/api/public/otp-settings" && route.method === "GET") {
          expect(withGarbage.text).toBe(bare.text);
          expect(withSession.text).toBe(bare.text);
        }
      }
      expect(validations).toEqual([]);
    } finally {
      server.ctx.sessions.validate = original;
    }
    // The session cookies are untouched and still work.
    expect((await signedIn.session("user")).status).toBe(200);
    expect((await signedIn.session("admin")).status).toBe(200);
  });

  it("allows any origin without credentials, and answers the preflight", async () => {
    for (const route of publicRoutes()) {
      const response = await call(route.method, route.url, { origin: "https://elsewhere.example" });
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
      const preflight = await call("OPTIONS", route.url, {
        origin: "https://elsewhere.example",
        "access-control-request-method": "GET",
        cookie: "__Host-user_session=garbage",
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
      expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
      expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
      expect(preflight.setCookies).toEqual([]);
    }
  });

  it("gives non-public API routes no CORS at all", async () => {
    const response = await call("GET", "/api/user/auth/session", { origin: "https://elsewhere.example" });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("reports OTP settings that match the policy", async () => {
    const response = await call("GET", "/api/public/otp-settings");
    expect(JSON.parse(response.text)).toEqual({
      enabled: true,
      realms: ["user"],
      codeLength: 6,
      ttlSeconds: 600,
      resendCooldownSeconds: 60,
      captchaRequiredAfterFailures: 5,
    });
  });

  it("rate-limits challenge issuing per IP, still sessionless and open to any origin", async () => {
    let limited: Awaited<ReturnType<typeof call>> | undefined;
    // 30 a minute; a minute boundary may pass during the loop, hence the margin.
    for (let i = 0; i < 70 && !limited; i++) {
      const response = await call("GET", "/api/public/captcha", { cookie: "__Host-user_session=garbage" });
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(200);
    }
    expect(limited?.status).toBe(429);
    expect(JSON.parse(limited?.text ?? "{}").error.code).toBe("rate_limited");
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited?.headers.get("access-control-allow-origin")).toBe("*");
    expect(limited?.setCookies).toEqual([]);
  });
});
