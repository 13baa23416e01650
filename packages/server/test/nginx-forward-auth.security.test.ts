import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { hashSessionId } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { repoRoot } from "./support/child-process.ts";
import {
  documentedNginxConfig,
  freePort,
  nginxConfig,
  nginxInstalled,
  type RunningNginx,
  startNginx,
} from "./support/nginx.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * A real nginx (Debian's nginx-light) running the documented configuration
 * (docs/examples/nginx-forward-auth.conf) in front of a real Gatehouse and a tiny app on loopback:
 * `/app/` is the user realm's app, `/backoffice/` the admin realm's, everything else is Gatehouse.
 */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The protected app: records every request it gets and answers 200. */
async function startApp() {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += String(chunk)));
    request.on("end", () => {
      seen.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    seen,
    last: () => seen.at(-1) as Seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const password = "nginx forward auth password";
const spoofs = {
  "x-gatehouse-principal-id": "00000000-0000-4000-8000-000000000000",
  "x-gatehouse-realm": "admin",
  "x-gatehouse-email": "ceo@example.com",
  "x-gatehouse-session-id": "spoofed",
  "x-gatehouse-csrf-token": "spoofed",
  "x-gatehouse-permissions": "roles.manage",
};

// Outside CI a machine without nginx skips this file; in CI (CI=true) it runs and fails instead.
describe.skipIf(!nginxInstalled && !process.env.CI)("nginx forward auth in front of Gatehouse and an app", () => {
  let db: TestDatabase;
  let gatehouse: TestServer;
  let app: Awaited<ReturnType<typeof startApp>>;
  let nginx: RunningNginx;
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp();
    // The browser's origin is nginx's: Gatehouse's PUBLIC_URL (cookies, the cross-site check) names it.
    const port = await freePort();
    gatehouse = await startTestServer({
      database: db.database,
      env: { PUBLIC_URL: `http://localhost:${port}`, TRUSTED_PROXIES: "127.0.0.1" },
    });
    const gatehousePort = Number(new URL(gatehouse.baseUrl).port);
    nginx = await startNginx(port, (dir) => nginxConfig({ dir, port, gatehousePort, appPort: app.port }));
  }, 60_000);
  afterAll(async () => {
    await nginx?.stop();
    await gatehouse?.close();
    await app?.close();
    await db?.drop();
  });

  /** A browser talking to nginx only, signed in to `realm` with a fresh account. */
  async function signedIn(realm: "user" | "admin", browser = new Browser(nginx.baseUrl)) {
    n += 1;
    const email = `nginx-${n}@example.com`;
    const principal = await createAccount(gatehouse.ctx, realm, email, password);
    const login = await browser.login(realm, email, password);
    expect(login.status, nginx.errors()).toBe(200);
    return { browser, email, principal, login };
  }

  const get = (browser: Browser, path: string, headers: Record<string, string> = {}) =>
    browser.request("GET", path, { headers, redirect: "manual" });

  it("signed out: each app sends the browser to its realm's sign-in page, and is never reached", async () => {
    const before = app.seen.length;
    const browser = new Browser(nginx.baseUrl);
    const user = await get(browser, "/app/reports?year=2026");
    expect(user.status).toBe(302);
    expect(user.headers.get("location")).toBe("/login?next=/app/reports?year=2026");
    const admin = await get(browser, "/backoffice/");
    expect(admin.status).toBe(302);
    expect(admin.headers.get("location")).toBe("/admin/login?next=/backoffice/");
    expect(app.seen.length).toBe(before);
    // The forward-auth locations themselves are internal.
    expect((await get(browser, "/_gatehouse/user")).status).toBe(404);
  });

  it("signed in: the app sees the principal headers, and never a Gatehouse session cookie", async () => {
    const { browser, email, principal, login } = await signedIn("user");
    await browser.jar.setCookie("theme=dark; Path=/", nginx.baseUrl);
    const page = await get(browser, "/app/dashboard");
    expect(page.status, nginx.errors()).toBe(200);
    const seen = app.last();
    expect(seen.url).toBe("/app/dashboard");
    expect(seen.headers["x-gatehouse-principal-id"]).toBe(principal.id);
    expect(seen.headers["x-gatehouse-realm"]).toBe("user");
    expect(seen.headers["x-gatehouse-email"]).toBe(email);
    expect(seen.headers["x-gatehouse-session-id"]).toBe(hashSessionId(login.body.session.id));
    expect(seen.headers["x-gatehouse-csrf-token"]).toBe(login.body.csrfToken);
    expect(seen.headers["x-gatehouse-permissions"]).toBeUndefined();
    expect(seen.headers.cookie).toBe("theme=dark");
    expect(page.setCookies).toEqual([]);
  });

  it("spoofed X-Gatehouse-* headers from the client never reach the app", async () => {
    const { browser, principal, email } = await signedIn("user");
    const page = await get(browser, "/app/dashboard", spoofs);
    expect(page.status).toBe(200);
    const seen = app.last();
    expect(seen.headers["x-gatehouse-principal-id"]).toBe(principal.id);
    expect(seen.headers["x-gatehouse-realm"]).toBe("user");
    expect(seen.headers["x-gatehouse-email"]).toBe(email);
    expect(seen.headers["x-gatehouse-session-id"]).not.toBe("spoofed");
    expect(seen.headers["x-gatehouse-csrf-token"]).not.toBe("spoofed");
    expect(seen.headers["x-gatehouse-permissions"]).toBeUndefined();
    // Every header the app got that names Gatehouse came from Gatehouse.
    const gatehouseHeaders = Object.keys(seen.headers).filter((name) => name.startsWith("x-gatehouse-"));
    expect(gatehouseHeaders.sort()).toEqual([
      "x-gatehouse-csrf-token",
      "x-gatehouse-email",
      "x-gatehouse-principal-id",
      "x-gatehouse-realm",
      "x-gatehouse-session-id",
    ]);
    // Signed out, the spoofs get the sign-in redirect like anyone else.
    const before = app.seen.length;
    expect((await get(new Browser(nginx.baseUrl), "/app/dashboard", spoofs)).status).toBe(302);
    expect(app.seen.length).toBe(before);
  });

  it("user and admin realms on one origin stay independent through the proxy", async () => {
    const { browser, principal: user } = await signedIn("user");
    expect((await get(browser, "/backoffice/")).status).toBe(302);
    const { principal: admin } = await signedIn("admin", browser);
    expect((await get(browser, "/backoffice/")).status).toBe(200);
    expect(app.last().headers["x-gatehouse-principal-id"]).toBe(admin.id);
    expect(app.last().headers["x-gatehouse-realm"]).toBe("admin");
    expect((await get(browser, "/app/")).status).toBe(200);
    expect(app.last().headers["x-gatehouse-principal-id"]).toBe(user.id);

    expect((await browser.logout("user")).status).toBe(204);
    expect((await get(browser, "/app/")).status).toBe(302);
    const stillAdmin = await get(browser, "/backoffice/");
    expect(stillAdmin.status).toBe(200);
    expect(app.last().headers["x-gatehouse-principal-id"]).toBe(admin.id);
  });

  it("a revoked session is refused on the very next proxied request, and its cookie cleared", async () => {
    const { browser, email, login } = await signedIn("user");
    expect((await get(browser, "/app/")).status).toBe(200);
    expect((await get(browser, "/app/")).status).toBe(200);
    // The same person, on another device, ends the first session through the proxy.
    const other = new Browser(nginx.baseUrl);
    expect((await other.login("user", email, password)).status).toBe(200);
    const revoked = await other.request("DELETE", `/api/user/sessions/${login.body.session.id}`, { realm: "user" });
    expect(revoked.status).toBe(204);
    const before = app.seen.length;
    const next = await get(browser, "/app/");
    expect(next.status).toBe(302);
    expect(next.headers.get("location")).toBe("/login?next=/app/");
    expect(next.setCookies).toHaveLength(1);
    expect(next.setCookies[0]).toMatch(/^__Host-user_session=;/);
    expect(app.seen.length).toBe(before);
    expect((await get(other, "/app/")).status).toBe(200);
  });

  it("unsafe requests to the app need the session's CSRF token and a same-origin browser", async () => {
    const { browser, login } = await signedIn("user");
    const before = app.seen.length;
    const post = (headers: Record<string, string>, csrf: string | null) =>
      browser.request("POST", "/app/items", { body: { name: "chair" }, csrf, headers, redirect: "manual" });
    expect((await post({}, null)).status).toBe(403);
    expect((await post({ "x-csrf-token": "forged" }, null)).status).toBe(403);
    expect((await post({ origin: "https://evil.example" }, login.body.csrfToken)).status).toBe(403);
    expect(app.seen.length).toBe(before);
    const accepted = await post({ origin: nginx.baseUrl }, login.body.csrfToken);
    expect(accepted.status).toBe(200);
    expect(app.last()).toMatchObject({ method: "POST", url: "/app/items", body: '{"name":"chair"}' });
  });
});

describe("the documented nginx configuration", () => {
  it("is the tested one: docs/forward-auth.md shows docs/examples/nginx-forward-auth.conf verbatim", () => {
    const page = readFileSync(path.join(repoRoot, "docs/forward-auth.md"), "utf8");
    const file = readFileSync(documentedNginxConfig, "utf8");
    expect(page).toContain(`\`\`\`nginx\n${file}\`\`\``);
  });
});
