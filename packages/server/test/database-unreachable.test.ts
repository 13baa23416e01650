import net from "node:net";
import { afterAll, describe, expect, it, vi } from "vitest";
import { type Database, openDatabase } from "../src/db/database.ts";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * The database going away must fail closed: 503 `storage_unavailable`, never a request treated as
 * signed in, and never one treated as signed out either (the cookie is kept for when it comes back).
 */

const email = "amani@example.com";
const password = "amani password 12345";
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function serverOn(database: Database, drop: () => Promise<void>): Promise<TestServer> {
  const server = await startTestServer({ database });
  cleanups.push(drop, () => server.close());
  return server;
}

/**
 * The live test database, served through a TCP relay on PostgreSQL so the test can cut the network:
 * open connections die mid-flight and new ones are refused, as when the database host goes down.
 * On PGlite the in-memory database is simply closed.
 */
async function reachableDatabase(db: TestDatabase): Promise<{ database: Database; takeAway(): Promise<void> }> {
  if (!db.url) return { database: db.database, takeAway: () => db.database.close() };
  const target = new URL(db.url);
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const relayed = new URL(db.url);
  relayed.host = `127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
  const database = await openDatabase({ databaseUrl: relayed.toString(), poolSize: 3 });
  cleanups.push(() => database.close());
  return {
    database,
    takeAway: async () => {
      const closed = new Promise((resolve) => relay.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function expectStorageUnavailable(response: { status: number; body: any; setCookies: string[] }) {
  expect(response.status).toBe(503);
  expect(response.body).toEqual({ error: { code: "storage_unavailable", message: expect.any(String) } });
  // Neither a new session nor a cleared one: the browser keeps its cookie.
  expect(response.setCookies).toEqual([]);
}

async function expectFailsClosed(server: TestServer, browser: Browser, token: string) {
  const session = await browser.session("user");
  expectStorageUnavailable(session);
  expect(session.body.principal).toBeUndefined();
  expectStorageUnavailable(await browser.session("user", { passive: true }));
  expect(await browser.cookie("__Host-user_session")).toBe(token);

  expectStorageUnavailable(await browser.login("user", email, password));
  expectStorageUnavailable(await new Browser(server.baseUrl).login("admin", email, password));
  expectStorageUnavailable(
    await browser.request("POST", "/api/user/auth/signup", { body: { email: "new@example.com", password } }),
  );
  // Signed-in logout cannot end the session, so it says so rather than pretending.
  expectStorageUnavailable(await browser.logout("user"));
  expect(await browser.cookie("__Host-user_session")).toBe(token);
  // Without a cookie there is nothing to look up: logout stays the idempotent 204.
  const anonymousLogout = await new Browser(server.baseUrl).logout("user");
  expect(anonymousLogout.status).toBe(204);

  const ready = await fetch(`${server.baseUrl}/readyz`);
  expect(ready.status).toBe(503);
  expect(((await ready.json()) as { error: { code: string } }).error.code).toBe("storage_unavailable");
  const health = await fetch(`${server.baseUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });

  // The failures are logged for the operator, but without the failed queries' parameters.
  const logs = server.logs.join("");
  expect(logs).toContain('"code":"storage_unavailable"');
  for (const secret of [token, ...token.split("."), password, email, "$argon2"]) expect(logs).not.toContain(secret);
}

describe("database unreachable", () => {
  it(`after sign-in, ${onPostgres ? "the network to PostgreSQL is cut" : "the PGlite database is closed"}: 503, never signed in`, async () => {
    const db = await createTestDatabase();
    const { database, takeAway } = await reachableDatabase(db);
    const server = await serverOn(database, () => db.drop());
    await createAccount(server.ctx, "user", email, password);
    await createAccount(server.ctx, "admin", email, password);
    const browser = new Browser(server.baseUrl);
    expect((await browser.login("user", email, password)).status).toBe(200);
    const token = (await browser.cookie("__Host-user_session")) as string;
    expect((await browser.session("user")).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);

    await takeAway();
    // The validation caches stop answering within the database-health bound (1 s, docs/scale-out.md);
    // from then on every request goes to the database and fails closed.
    await vi.waitFor(() => expect(server.ctx.sessionBus.usable()).toBe(false), { timeout: 5000 });
    await expectFailsClosed(server, browser, token);
  });

  it("the store points at a closed port from the start: 503, never signed in", async () => {
    // No PostgreSQL needed: nothing listens on port 1, so every connection attempt is refused.
    const database = await openDatabase({ databaseUrl: "postgres://postgres@127.0.0.1:1/x", poolSize: 2 });
    const server = await serverOn(database, () => database.close());
    const browser = new Browser(server.baseUrl);
    const token = `${"A".repeat(22)}.${"b".repeat(43)}`;
    await browser.jar.setCookie(`__Host-user_session=${token}; Path=/; Secure; HttpOnly`, server.baseUrl);
    await expectFailsClosed(server, browser, token);
  });
});
