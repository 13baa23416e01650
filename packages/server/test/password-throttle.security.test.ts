import { FixedClock } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abuseTestEnv, throttleBackend } from "./support/abuse-env.ts";
import { Browser } from "./support/browser.ts";
import { solveCaptcha } from "./support/captcha.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const password = "password throttle 1234";
const clock = new FixedClock("2026-06-01T09:00:00.000Z");
let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, clock, env: abuseTestEnv() });
  await createAccount(server.ctx, "user", "changer@example.com", password);
  await createAccount(server.ctx, "user", "reset-target@example.com", password);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe(`password reset requests are throttled (${throttleBackend} counters)`, () => {
  const from = (ip: string) => ({ "x-forwarded-for": ip });

  it("one IP asking again and again waits, then needs a CAPTCHA; other IPs and emails are unaffected", async () => {
    const browser = new Browser(server.baseUrl);
    const ask = (email: string, ip: string, extra: Record<string, unknown> = {}) =>
      browser.request("POST", "/api/user/auth/password-reset", { body: { email, ...extra }, headers: from(ip) });
    for (let i = 0; i < 5; i++) expect((await ask("reset-target@example.com", "203.0.113.5")).status).toBe(202);
    const limited = await ask("reset-target@example.com", "203.0.113.5");
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(limited.headers.get("retry-after")).toBe("1");
    // An unknown email from that IP is limited the same way: no hint whether the account exists.
    expect((await ask("nobody-here@example.com", "203.0.113.5")).status).toBe(429);
    expect((await ask("someone-else@example.com", "198.51.100.77")).status).toBe(202);

    clock.advance({ seconds: 2 });
    // The targeted account now needs a CAPTCHA from anywhere: mail bombing costs work, never a lockout.
    const fromElsewhere = await ask("reset-target@example.com", "192.0.2.44");
    expect(fromElsewhere.body.error.code).toBe("captcha_required");
    const solved = await ask("reset-target@example.com", "192.0.2.44", { captcha: await solveCaptcha(server.baseUrl) });
    expect(solved.status).toBe(202);
  });
});

describe(`wrong current passwords on password change are throttled (${throttleBackend} counters)`, () => {
  it("a stolen session cannot guess the password at full speed", async () => {
    const browser = new Browser(server.baseUrl);
    const ip = { "x-forwarded-for": "198.51.100.200" };
    expect((await browser.login("user", "changer@example.com", password)).status).toBe(200);
    const change = (currentPassword: string, extra: Record<string, unknown> = {}) =>
      browser.request("POST", "/api/user/auth/password", {
        realm: "user",
        headers: ip,
        body: { currentPassword, newPassword: "a brand new passphrase 9", ...extra },
      });
    for (let i = 0; i < 5; i++)
      expect((await change(`wrong guess number ${i}`)).body.error.code).toBe("invalid_credentials");
    const limited = await change(password);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");

    clock.advance({ seconds: 2 });
    expect((await change(password)).body.error.code).toBe("captcha_required");
    const changed = await change(password, { captcha: await solveCaptcha(server.baseUrl) });
    expect(changed.status).toBe(200);
  });
});

describe(`sign-up probing for existing emails is throttled (${throttleBackend} counters)`, () => {
  it("each email_taken counts against the IP: it waits, then needs a CAPTCHA; fresh sign-ups elsewhere go on", async () => {
    const browser = new Browser(server.baseUrl);
    const signup = (email: string, ip: string, extra: Record<string, unknown> = {}) =>
      browser.request("POST", "/api/user/auth/signup", {
        body: { email, password: "sign up probe pass 42", ...extra },
        headers: { "x-forwarded-for": ip },
      });
    for (let i = 0; i < 5; i++) expect((await signup("changer@example.com", "203.0.113.99")).status).toBe(409);
    const limited = await signup("reset-target@example.com", "203.0.113.99");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await signup("fresh-person@example.com", "192.0.2.150")).status).toBe(201);
    clock.advance({ seconds: 2 });
    expect((await signup("reset-target@example.com", "203.0.113.99")).body.error.code).toBe("captcha_required");
    const solved = await signup("another-fresh@example.com", "203.0.113.99", {
      captcha: await solveCaptcha(server.baseUrl),
    });
    expect(solved.status).toBe(201);
  });
});
