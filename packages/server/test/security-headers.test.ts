import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

let db: TestDatabase;
let http: TestServer;
let https: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  http = await startTestServer({ database: db.database });
  https = await startTestServer({ database: db.database, env: { PUBLIC_URL: "https://gatehouse.example" } });
});
afterAll(async () => {
  await http?.close();
  await https?.close();
  await db?.drop();
});

/** One route of each class: page, API (ok and refused), public, the API docs, errors, operations. */
const routeClasses = [
  { name: "user page", method: "GET", path: "/", status: 200, noStore: false },
  { name: "admin page", method: "GET", path: "/admin", status: 200, noStore: false },
  { name: "API, unauthenticated", method: "GET", path: "/api/user/auth/session", status: 401, noStore: true },
  { name: "API, bad login", method: "POST", path: "/api/admin/auth/login", status: 400, noStore: true },
  { name: "public endpoint", method: "GET", path: "/api/public/otp-settings", status: 200, noStore: true },
  { name: "public captcha", method: "GET", path: "/api/public/captcha", status: 200, noStore: true },
  { name: "API docs", method: "GET", path: "/api/docs/", status: 200, noStore: false },
  { name: "OpenAPI document", method: "GET", path: "/api/openapi.json", status: 200, noStore: true },
  { name: "404 page", method: "GET", path: "/no/such/page", status: 404, noStore: true },
  { name: "404 API", method: "GET", path: "/api/user/nothing", status: 404, noStore: true },
  { name: "health", method: "GET", path: "/healthz", status: 200, noStore: false },
];

function scriptSources(csp: string): string {
  return /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? "";
}

describe("security headers on every route class", () => {
  for (const route of routeClasses) {
    it(`${route.name}: ${route.method} ${route.path}`, async () => {
      const response = await fetch(new URL(route.path, http.baseUrl), {
        method: route.method,
        headers: route.method === "POST" ? { "content-type": "application/json" } : {},
        body: route.method === "POST" ? "{}" : undefined,
      });
      expect(response.status).toBe(route.status);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/default-src 'self'/);
      expect(scriptSources(csp)).not.toBe("");
      expect(scriptSources(csp)).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      // Plain http (localhost): no HSTS, which a browser would ignore or pin wrongly.
      expect(response.headers.get("strict-transport-security")).toBeNull();
      if (route.noStore) expect(response.headers.get("cache-control")).toBe("no-store");
      await response.arrayBuffer();
    });
  }

  it("sends no-store on sign-in and signed-in answers", async () => {
    await createAccount(http.ctx, "user", "headers@example.com", "user password 12345");
    const browser = new Browser(http.baseUrl);
    const login = await browser.login("user", "headers@example.com", "user password 12345");
    expect(login.status).toBe(200);
    expect(login.headers.get("cache-control")).toBe("no-store");
    const session = await browser.session("user");
    expect(session.status).toBe(200);
    expect(session.headers.get("cache-control")).toBe("no-store");
    expect(session.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
  });

  it("sends HSTS when PUBLIC_URL is https", async () => {
    for (const path of ["/", "/api/public/otp-settings", "/nope", "/api/docs/"]) {
      const response = await fetch(new URL(path, https.baseUrl));
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
      await response.arrayBuffer();
    }
  });

  it("keeps the API docs page working: external scripts only, all served", async () => {
    const page = await fetch(new URL("/api/docs/", http.baseUrl)).then((r) => r.text());
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script element
    const sources = [...page.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      const script = await fetch(new URL(source, new URL("/api/docs/", http.baseUrl)));
      expect(script.status, source).toBe(200);
      await script.arrayBuffer();
    }
  });

  it("protects /metrics with METRICS_TOKEN when set", async () => {
    const token = "metrics-token-0123456789";
    const guarded = await startTestServer({ database: db.database, env: { METRICS_TOKEN: token } });
    try {
      const url = new URL("/metrics", guarded.baseUrl);
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("gatehouse_throttled_total");
    } finally {
      await guarded.close();
    }
  });
});
