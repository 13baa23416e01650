import { FixedClock } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const password = "session endpoint password";
const clock = new FixedClock("2026-05-01T09:00:00.000Z");
let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, clock });
  await createAccount(server.ctx, "user", "clock@example.com", password);
  await createAccount(server.ctx, "admin", "clock@example.com", password);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe("GET /api/{realm}/auth/session over HTTP with a fixed clock", () => {
  it("reports principal, session deadlines and a CSRF token", async () => {
    const browser = new Browser(server.baseUrl);
    const login = await browser.login("admin", "clock@example.com", password);
    const session = await browser.session("admin");
    expect(session.status).toBe(200);
    expect(session.body.principal).toMatchObject({ email: "clock@example.com", realm: "admin" });
    expect(session.body.principal).not.toHaveProperty("passwordHash");
    expect(session.body.session).not.toHaveProperty("secretHash");
    expect(session.body.session.expiresAt).toBe("2026-05-01T17:00:00.000Z");
    expect(session.body.session.idleExpiresAt).toBe("2026-05-01T09:16:30.000Z");
    expect(session.body.csrfToken).toBe(login.body.csrfToken);
    expect(session.headers.get("cache-control")).toBe("no-store");
  });

  it("passive checks do not extend the admin idle deadline; real requests do", async () => {
    clock.set("2026-05-01T09:00:00.000Z");
    const browser = new Browser(server.baseUrl);
    await browser.login("admin", "clock@example.com", password);
    clock.advance({ minutes: 10 });
    const passive = await browser.session("admin", { passive: true });
    expect(passive.body.session.idleExpiresAt).toBe("2026-05-01T09:16:30.000Z");
    clock.advance({ minutes: 6, seconds: 29 });
    expect((await browser.session("admin", { passive: true })).status).toBe(200);
    clock.advance({ seconds: 1 });
    const expired = await browser.session("admin", { passive: true });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe("session_expired");

    clock.set("2026-05-01T12:00:00.000Z");
    await browser.login("admin", "clock@example.com", password);
    clock.advance({ minutes: 10 });
    const active = await browser.session("admin");
    expect(active.body.session.idleExpiresAt).toBe("2026-05-01T12:26:30.000Z");
    clock.advance({ minutes: 16 });
    expect((await browser.session("admin", { passive: true })).status).toBe(200);
  });

  it("remember-me gives a persistent user cookie that ends with the 30-day session", async () => {
    clock.set("2026-05-01T09:00:00.000Z");
    const browser = new Browser(server.baseUrl);
    const login = await browser.login("user", "clock@example.com", password, { rememberMe: true });
    expect(login.setCookies[0]).toMatch(/Max-Age=2592000/);
    expect(login.body.session.expiresAt).toBe("2026-05-31T09:00:00.000Z");
    const admin = await browser.login("admin", "clock@example.com", password, { rememberMe: true });
    expect(admin.setCookies[0]).not.toMatch(/Max-Age|Expires/i);
    expect(admin.body.session.rememberMe).toBe(false);
  });
});
