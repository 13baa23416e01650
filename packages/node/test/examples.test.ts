import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExampleApp as buildExpressApp } from "../../../examples/express/app.ts";
import { buildExampleApp as buildFastifyApp } from "../../../examples/fastify/app.ts";
import { Browser } from "../../server/test/support/browser.ts";
import { createTestDatabase, type TestDatabase } from "../../server/test/support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "../../server/test/support/test-server.ts";

/**
 * The example apps (examples/) in front of a real Gatehouse: each adapter refuses a signed-out
 * request, gives the handler the principal, refuses a revoked session on the very next request, and
 * lets Gatehouse check the CSRF token of an unsafe one. Browser and apps share one cookie jar on
 * `localhost`, as a browser does for two ports of one host.
 */
const password = "node adapter password 1";
let db: TestDatabase;
let gatehouse: TestServer;
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  gatehouse = await startTestServer({ database: db.database });
  process.env.GATEHOUSE_URL = gatehouse.baseUrl;
});
afterAll(async () => {
  await gatehouse?.close();
  await db?.drop();
});

async function signedInBrowser() {
  n += 1;
  const email = `node-${n}@example.com`;
  const principal = await createAccount(gatehouse.ctx, "user", email, password);
  const browser = new Browser(gatehouse.baseUrl);
  const login = await browser.login("user", email, password);
  expect(login.status).toBe(200);
  return { browser, email, principal, login };
}

/** What every adapter must do, given a base URL where the example app answers /me and /notes. */
function behavesAsAGatehouseClient(appUrl: () => string, paths = { me: "/me", notes: "/notes" }) {
  it("answers a signed-out request with 401 not_authenticated", async () => {
    const anonymous = await new Browser(gatehouse.baseUrl).request("GET", `${appUrl()}${paths.me}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("not_authenticated");
  });

  it("gives a signed-in request's handler the principal", async () => {
    const { browser, email, principal } = await signedInBrowser();
    const me = await browser.request("GET", `${appUrl()}${paths.me}`);
    expect(me.status).toBe(200);
    expect(me.body.principal).toMatchObject({ id: principal.id, email, realm: "user" });
    expect(me.body.sessionIdHash).toMatch(/^[0-9a-f]{32}$/);
  });

  it("refuses a revoked session on the very next request, passing on Gatehouse's cookie clearing", async () => {
    const { browser, login } = await signedInBrowser();
    expect((await browser.request("GET", `${appUrl()}${paths.me}`)).status).toBe(200);
    await gatehouse.ctx.sessions.revoke(login.body.session.id);
    const next = await browser.request("GET", `${appUrl()}${paths.me}`);
    expect(next.status).toBe(401);
    expect(next.setCookies.some((cookie) => cookie.startsWith("__Host-user_session=;"))).toBe(true);
  });

  it("lets Gatehouse refuse an unsafe request without the session's CSRF token, and accept it with", async () => {
    const { browser, email } = await signedInBrowser();
    const url = `${appUrl()}${paths.notes}`;
    const refused = await browser.request("POST", url, { body: { text: "hi" }, csrf: null });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("csrf_token_invalid");
    const accepted = await browser.request("POST", url, { body: { text: "hi" }, realm: "user" });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ saved: { text: "hi" }, by: email });
  });
}

describe("examples/fastify", () => {
  let app: ReturnType<typeof buildFastifyApp>;
  let url = "";
  beforeAll(async () => {
    app = buildFastifyApp({ gatehouseUrl: gatehouse.baseUrl });
    await app.listen({ port: 0, host: "127.0.0.1" });
    url = `http://localhost:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
  });
  behavesAsAGatehouseClient(() => url);
});

describe("examples/express", () => {
  let server: ReturnType<ReturnType<typeof buildExpressApp>["listen"]>;
  let url = "";
  beforeAll(async () => {
    const app = buildExpressApp({ gatehouseUrl: gatehouse.baseUrl });
    server = await new Promise((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    url = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });
  behavesAsAGatehouseClient(() => url);
});

describe("examples/nextjs (its middleware and route handlers, called with Web Requests)", () => {
  /** A Next.js-like server: Web Requests through middleware.ts, then the route handler. */
  let url = "";
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const { middleware } = await import("../../../examples/nextjs/middleware.ts");
    const me = await import("../../../examples/nextjs/app/api/me/route.ts");
    const notes = await import("../../../examples/nextjs/app/api/notes/route.ts");
    const http = await import("node:http");
    const server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const request = new Request(`http://localhost${req.url}`, {
        method: req.method,
        headers,
        body: req.method === "GET" ? undefined : Buffer.concat(chunks),
      });
      const path = new URL(request.url).pathname;
      const stopped =
        path.startsWith("/api/notes") || path.startsWith("/dashboard") ? await middleware(request) : undefined;
      const response =
        stopped ??
        (path === "/api/me" && req.method === "GET"
          ? await me.GET(request, {})
          : path === "/api/notes" && req.method === "POST"
            ? await notes.POST(request, {})
            : new Response("page", { status: 200 }));
      res.statusCode = response.status;
      response.headers.forEach((value, name) => {
        if (name !== "set-cookie") res.setHeader(name, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) res.setHeader("set-cookie", cookies);
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://localhost:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close();
  });
  behavesAsAGatehouseClient(() => url, { me: "/api/me", notes: "/api/notes" });

  it("middleware.ts sends a signed-out page navigation to the sign-in page and lets a signed-in one through", async () => {
    const anonymous = await new Browser(gatehouse.baseUrl).request("GET", `${url}/dashboard/stats?week=2`, {
      headers: { "sec-fetch-mode": "navigate", accept: "text/html" },
      redirect: "manual",
    });
    expect(anonymous.status).toBe(307);
    expect(new URL(anonymous.headers.get("location") as string).pathname).toBe("/login");
    expect(new URL(anonymous.headers.get("location") as string).searchParams.get("next")).toBe(
      "/dashboard/stats?week=2",
    );
    const { browser } = await signedInBrowser();
    const page = await browser.request("GET", `${url}/dashboard/stats`, { headers: { "sec-fetch-mode": "navigate" } });
    expect(page.status).toBe(200);
    expect(page.body).toBe("page");
  });
});
