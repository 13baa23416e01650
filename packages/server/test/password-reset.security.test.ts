import { FixedClock } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { eventually } from "./support/eventually.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const userPassword = "user password 12345";
const adminPassword = "admin password 12345";
const newPassword = "a fresh password 555";

let db: TestDatabase;
let server: TestServer;
const clock = new FixedClock("2026-06-01T09:00:00.000Z");
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, clock });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

async function bothRealms() {
  n += 1;
  const email = `reset-${n}@example.com`;
  await createAccount(server.ctx, "user", email, userPassword);
  await createAccount(server.ctx, "admin", email, adminPassword);
  return email;
}

/** Asks for a reset link and returns the token from the mail it sends. */
async function requestToken(realm: string, email: string): Promise<string> {
  const before = server.mailer.sent.length;
  const response = await new Browser(server.baseUrl).request("POST", `/api/${realm}/auth/password-reset`, {
    body: { email },
  });
  expect(response.status).toBe(202);
  await eventually(() => expect(server.mailer.sent.length).toBe(before + 1));
  const mail = server.mailer.sent.at(-1);
  expect(mail?.to).toBe(email);
  const link = /(http\S+)/.exec(mail?.text ?? "")?.[1] ?? "";
  const url = new URL(link);
  expect(url.origin + url.pathname).toBe("http://localhost:3000/reset-password");
  expect(url.searchParams.get("realm")).toBe(realm);
  return url.searchParams.get("token") ?? "";
}

function confirm(realm: string, token: string, password = newPassword) {
  return new Browser(server.baseUrl).request("POST", `/api/${realm}/auth/password-reset/confirm`, {
    body: { token, newPassword: password },
  });
}

describe("password reset (seed 002)", () => {
  for (const [resetRealm, otherRealm] of [
    ["user", "admin"],
    ["admin", "user"],
  ] as const) {
    it(`a reset in the ${resetRealm} realm ends every ${resetRealm} session of the account; the ${otherRealm} session still works`, async () => {
      const email = await bothRealms();
      const passwords = { user: userPassword, admin: adminPassword };
      const jar = new Browser(server.baseUrl);
      expect((await jar.login("user", email, userPassword)).status).toBe(200);
      expect((await jar.login("admin", email, adminPassword)).status).toBe(200);
      const secondDevice = new Browser(server.baseUrl);
      expect((await secondDevice.login(resetRealm, email, passwords[resetRealm])).status).toBe(200);
      const otherCookie = await jar.cookie(`__Host-${otherRealm}_session`);

      const token = await requestToken(resetRealm, email);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes = 256 bits
      const done = await confirm(resetRealm, token);
      expect(done.status).toBe(200);
      expect(done.body).toEqual({ revokedSessions: 2 });

      expect((await jar.session(resetRealm)).status).toBe(401);
      expect((await secondDevice.session(resetRealm)).status).toBe(401);
      expect((await jar.session(otherRealm)).status).toBe(200);
      expect(await jar.cookie(`__Host-${otherRealm}_session`)).toBe(otherCookie);
      expect((await new Browser(server.baseUrl).login(resetRealm, email, newPassword)).status).toBe(200);
      expect((await new Browser(server.baseUrl).login(otherRealm, email, passwords[otherRealm])).status).toBe(200);
    });
  }

  it("answers an unknown email exactly like a known one, and sends no mail", async () => {
    const email = await bothRealms();
    const known = await new Browser(server.baseUrl).request("POST", "/api/user/auth/password-reset", {
      body: { email },
    });
    await eventually(() => expect(server.mailer.sent.some((m) => m.to === email)).toBe(true));
    const sentBefore = server.mailer.sent.length;
    const unknown = await new Browser(server.baseUrl).request("POST", "/api/user/auth/password-reset", {
      body: { email: "nobody-here@example.com" },
    });
    expect(unknown.status).toBe(known.status);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(unknown.headers.get("content-length")).toBe(known.headers.get("content-length"));
    expect(unknown.setCookies).toEqual([]);
    await eventually(() =>
      expect(server.audit.events.some((e) => e.details.email === "nobody-here@example.com")).toBe(true),
    );
    expect(server.mailer.sent.length).toBe(sentBefore);
  });

  it("a token works once: of 20 parallel confirms exactly one wins", async () => {
    const email = await bothRealms();
    const token = await requestToken("user", email);
    const results = await Promise.all(Array.from({ length: 20 }, () => confirm("user", token)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 200);
    expect(losers).toHaveLength(19);
    expect(losers.every((r) => r.body.error.code === "reset_token_invalid")).toBe(true);
    expect((await confirm("user", token)).status).toBe(400);
  });

  it("a token expires after 30 minutes", async () => {
    const email = await bothRealms();
    const token = await requestToken("user", email);
    clock.advance({ minutes: 30 });
    const response = await confirm("user", token);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("reset_token_invalid");
    const fresh = await requestToken("user", email);
    clock.advance({ minutes: 29, seconds: 59 });
    expect((await confirm("user", fresh)).status).toBe(200);
  });

  it("a new link kills the earlier one, and a password change kills any link", async () => {
    const email = await bothRealms();
    const first = await requestToken("user", email);
    const second = await requestToken("user", email);
    expect((await confirm("user", first)).status).toBe(400);
    const third = await requestToken("user", email);
    const jar = new Browser(server.baseUrl);
    expect((await jar.login("user", email, userPassword)).status).toBe(200);
    const changed = await jar.request("POST", "/api/user/auth/password", {
      realm: "user",
      body: { currentPassword: userPassword, newPassword },
    });
    expect(changed.status).toBe(200);
    expect((await confirm("user", second)).status).toBe(400);
    expect((await confirm("user", third)).status).toBe(400);
  });

  it("a token of one realm does not work in the other; a weak password keeps the token usable", async () => {
    const email = await bothRealms();
    const token = await requestToken("user", email);
    expect((await confirm("admin", token)).status).toBe(400);
    const weak = await confirm("user", token, "weak");
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe("weak_password");
    expect((await confirm("user", token)).status).toBe(200);
  });

  it("never writes the token to a log, an audit event or an answer", async () => {
    const email = await bothRealms();
    const token = await requestToken("user", email);
    const done = await confirm("user", token);
    expect(JSON.stringify(done.body)).not.toContain(token);
    expect(server.logs.join("\n")).not.toContain(token);
    expect(JSON.stringify(server.audit.events)).not.toContain(token);
    expect(server.logs.join("\n")).not.toContain(newPassword);
  });
});
