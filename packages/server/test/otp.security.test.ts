import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FixedClock } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fileOutboxMailer } from "../src/mail/mailer.ts";
import { abuseTestEnv } from "./support/abuse-env.ts";
import { Browser } from "./support/browser.ts";
import { solveCaptcha } from "./support/captcha.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const password = "user password 12345";
const clock = new FixedClock("2026-06-01T12:00:00.000Z");

let db: TestDatabase;
let server: TestServer;
let ipCounter = 0;
/** A fresh client IP per call (through the trusted test proxy), so per-IP delays stay out of the way. */
const freshIp = () => `198.18.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, clock, env: abuseTestEnv() });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

async function account(name: string): Promise<string> {
  const email = `${name}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  await createAccount(server.ctx, "user", email, password);
  return email;
}

function requestCode(email: string, browser = new Browser(server.baseUrl), ip = freshIp()) {
  return browser.request("POST", "/api/user/auth/otp/request", { body: { email }, headers: { "x-forwarded-for": ip } });
}

function verify(
  email: string,
  code: string,
  extra: Record<string, unknown> = {},
  browser = new Browser(server.baseUrl),
) {
  return browser.request("POST", "/api/user/auth/otp/verify", {
    body: { email, code, ...extra },
    headers: { "x-forwarded-for": freshIp() },
  });
}

const mailsTo = (email: string) => server.mailer.sent.filter((m) => m.to === email);

/** Codes are sent after the 202 (so timing tells nothing): wait for the n-th mail to this address. */
async function codeFromMail(email: string, n = 1): Promise<string> {
  await vi.waitFor(() => expect(mailsTo(email).length).toBeGreaterThanOrEqual(n), { timeout: 15_000 });
  const text = mailsTo(email)[n - 1]?.text ?? "";
  const code = /sign-in code is (\d{6})/.exec(text)?.[1];
  if (!code) throw new Error(`no code in: ${text}`);
  return code;
}

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("email one-time-code sign-in", () => {
  it("answers 202 identically for known and unknown emails, and mails only the known one", async () => {
    const email = await account("known");
    const unknown = await requestCode("nobody-here@example.com");
    const known = await requestCode(email);
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(known.setCookies).toEqual([]);
    expect(unknown.setCookies).toEqual([]);
    const code = await codeFromMail(email);
    expect(code).toMatch(/^\d{6}$/);
    expect(server.mailer.sent.filter((m) => m.to === "nobody-here@example.com")).toEqual([]);
  });

  it("signs in exactly like login: cookie, session, CSRF token, audit event", async () => {
    const email = await account("signin");
    await requestCode(email);
    const code = await codeFromMail(email);
    const browser = new Browser(server.baseUrl);
    const response = await verify(email, code, {}, browser);
    expect(response.status).toBe(200);
    expect(response.body.principal.email).toBe(email);
    expect(response.body.csrfToken).toEqual(expect.any(String));
    expect(response.setCookies[0]).toMatch(/^__Host-user_session=.*; HttpOnly/);
    expect((await browser.session("user")).body.principal.email).toBe(email);
    expect((await browser.logout("user")).status).toBe(204);
    expect(
      server.audit.events.some((e) => e.type === "otp_signin" && e.principalId === response.body.principal.id),
    ).toBe(true);
    // Stored hashed: the code appears nowhere in the table.
    const rows = JSON.stringify(await db.database.db.query.otpCodes.findMany());
    expect(rows).not.toContain(code);
  });

  it("is single use: of 20 parallel verifies exactly one wins", async () => {
    const email = await account("race");
    await requestCode(email);
    const code = await codeFromMail(email);
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(email, code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 200);
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      // Losers that arrive after 5 recorded failures meet the account's CAPTCHA demand first.
      expect(["otp_invalid", "captcha_required"]).toContain(loser.body.error.code);
      expect(loser.setCookies).toEqual([]);
    }
  });

  it("expires after 10 minutes", async () => {
    const email = await account("expiry");
    await requestCode(email);
    const code = await codeFromMail(email);
    clock.advance({ minutes: 10 });
    const late = await verify(email, code);
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe("otp_invalid");
  });

  it("dies after 5 wrong attempts, even for the right code (which then also needs a CAPTCHA)", async () => {
    const email = await account("attempts");
    await requestCode(email);
    const code = await codeFromMail(email);
    for (let i = 0; i < 5; i++) expect((await verify(email, wrong(code))).body.error.code).toBe("otp_invalid");
    expect((await verify(email, code)).body.error.code).toBe("captcha_required");
    const captcha = await solveCaptcha(server.baseUrl);
    const dead = await verify(email, code, { captcha });
    expect(dead.status).toBe(401);
    expect(dead.body.error.code).toBe("otp_invalid");
  });

  it("keeps a resend cooldown of 60 s, and a new code replaces the old one", async () => {
    const email = await account("cooldown");
    await requestCode(email);
    const first = await codeFromMail(email);
    clock.advance({ seconds: 59 });
    expect((await requestCode(email)).status).toBe(202);
    // The request inside the cooldown sent nothing: its background work says so and ends there.
    await vi.waitFor(() => expect(server.logs.join("")).toContain("one-time code not resent: inside the cooldown"));
    expect(mailsTo(email)).toHaveLength(1);
    clock.advance({ seconds: 1 });
    expect((await requestCode(email)).status).toBe(202);
    const second = await codeFromMail(email, 2);
    expect(mailsTo(email)).toHaveLength(2);
    if (first !== second) expect((await verify(email, first)).body.error.code).toBe("otp_invalid");
    expect((await verify(email, second)).status).toBe(200);
  });

  it("throttles verify per IP like login", async () => {
    const email = await account("throttle");
    const ip = "198.51.100.200";
    const attempt = (code: string) =>
      new Browser(server.baseUrl).request("POST", "/api/user/auth/otp/verify", {
        body: { email: `x-${code}@example.com`, code },
        headers: { "x-forwarded-for": ip },
      });
    for (let i = 0; i < 5; i++) expect((await attempt(`00000${i}`)).status).toBe(401);
    const limited = await attempt("000009");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(email).toBeTruthy();
  });

  it("limits code requests per IP, identically for known and unknown emails", async () => {
    const email = await account("budget");
    const ip = "198.51.100.201";
    for (let i = 0; i < 20; i++) {
      expect((await requestCode(i % 2 ? email : `unknown-${i}@example.com`, undefined, ip)).status).toBe(202);
    }
    const known = await requestCode(email, undefined, ip);
    const unknown = await requestCode("unknown-x@example.com", undefined, ip);
    expect(known.status).toBe(429);
    expect(unknown.status).toBe(429);
    expect(known.body).toEqual(unknown.body);
    expect(known.headers.get("retry-after")).toBe(unknown.headers.get("retry-after"));
    expect((await requestCode(email)).status).toBe(202); // another IP
  });

  it("refuses malformed input with a 400, never a 500", async () => {
    const browser = new Browser(server.baseUrl);
    for (const body of [{ email: "not-an-email" }, { email: "a@example.com", extra: 1 }, {}]) {
      expect((await browser.request("POST", "/api/user/auth/otp/request", { body })).status).toBe(400);
    }
    for (const code of ["12345", "1234567", "abcdef", " 123456"]) {
      const response = await browser.request("POST", "/api/user/auth/otp/verify", {
        body: { email: "a@example.com", code },
      });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("validation_failed");
    }
  });

  it("exists for the user realm only", async () => {
    const response = await new Browser(server.baseUrl).request("POST", "/api/admin/auth/otp/request", {
      body: { email: "a@example.com" },
    });
    expect(response.status).toBe(404);
  });
});

describe("one-time codes through the file outbox", () => {
  let outboxServer: TestServer;
  let outbox: string;
  beforeAll(async () => {
    outbox = mkdtempSync(path.join(os.tmpdir(), "gatehouse-outbox-"));
    outboxServer = await startTestServer({
      database: db.database,
      clock,
      env: abuseTestEnv(),
      mailer: fileOutboxMailer(outbox, "Gatehouse <no-reply@localhost>"),
    });
  });
  afterAll(async () => {
    await outboxServer?.close();
  });

  it("writes one .eml per message with the code, and that code signs in", async () => {
    const email = `outbox-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await createAccount(outboxServer.ctx, "user", email, password);
    const browser = new Browser(outboxServer.baseUrl);
    expect((await browser.request("POST", "/api/user/auth/otp/request", { body: { email } })).status).toBe(202);
    await vi.waitFor(() => expect(readdirSync(outbox).filter((f) => f.endsWith(".eml"))).toHaveLength(1), {
      timeout: 15_000,
    });
    const file = readdirSync(outbox).find((f) => f.endsWith(".eml")) ?? "";
    const message = readFileSync(path.join(outbox, file), "utf8");
    expect(message).toMatch(/^From: Gatehouse <no-reply@localhost>$/m);
    expect(message).toContain(`To: ${email}`);
    const code = /^Subject: Your Gatehouse sign-in code: (\d{6})$/m.exec(message)?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);
    expect(message).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
    const body = message.split("\n\n").slice(1).join("\n\n").replace(/=\n/g, ""); // quoted-printable soft breaks
    expect(body).toContain(`Your sign-in code is ${code}`);
    expect(body).toContain("It works once, for 10 minutes, on http://localhost:3000.");
    const signedIn = await browser.request("POST", "/api/user/auth/otp/verify", { body: { email, code } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.principal.email).toBe(email);
  });
});
