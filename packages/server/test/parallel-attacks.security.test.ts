import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { abuseTestEnv, throttleBackend } from "./support/abuse-env.ts";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * The brute-force limits under parallel attack (issue 13): every limit must hold when the attempts
 * arrive at once, not only one after another. Real clock, real stores (PGlite or PostgreSQL, counters
 * in the database or Redis), real HTTP.
 */
const password = "right password 12345";
const wrongPassword = "wrong password 12345";
/** docs/abuse-protection.md: failures from one IP, and against one account, before a wait or a CAPTCHA. */
const freeAttempts = 5;

let db: TestDatabase;
let throttled: TestServer;
/** Throttling out of the way, so only the one-time code's own attempt limit and the session rules are tested. */
let unthrottled: TestServer;
let ipCounter = 0;
const freshIp = () => `198.19.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;
const uniqueEmail = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.com`;

beforeAll(async () => {
  db = await createTestDatabase();
  throttled = await startTestServer({ database: db.database, env: abuseTestEnv() });
  unthrottled = await startTestServer({
    database: db.database,
    env: abuseTestEnv({
      THROTTLE_IP_FREE_FAILURES: "1000",
      THROTTLE_CAPTCHA_AFTER_FAILURES: "1000",
      THROTTLE_INVALID_TOKENS_PER_WINDOW: "1000000",
    }),
  });
});
afterAll(async () => {
  await throttled?.close();
  await unthrottled?.close();
  await db?.drop();
});

function post(server: TestServer, path: string, body: unknown, ip: string, browser = new Browser(server.baseUrl)) {
  return browser.request("POST", path, { body, headers: { "x-forwarded-for": ip } });
}

const failedLogins = (server: TestServer, email: string) =>
  server.audit.events.filter((e) => e.type === "login_failed" && e.details?.email === email).length;

describe(`parallel password guessing (${throttleBackend} counters)`, () => {
  it("60 wrong passwords at once from one IP, the right one last: at most 5 are checked, none signs in", async () => {
    const email = uniqueEmail("burst");
    await createAccount(throttled.ctx, "user", email, password);
    const ip = freshIp();
    const attempts = Array.from({ length: 60 }, (_, i) =>
      post(throttled, "/api/user/auth/login", { email, password: i === 59 ? password : wrongPassword }, ip),
    );
    const results = await Promise.all(attempts);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(freeAttempts);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(statuses[59] === 200 ? 1 : 0);
    expect(statuses.every((s) => [200, 401, 403, 429].includes(s))).toBe(true);
    // Each 401 is one password check; the 429s and 403s never reached argon2.
    await vi.waitFor(() => expect(failedLogins(throttled, email)).toBe(statuses.filter((s) => s === 401).length));
    // The right password can only win if it was among the first five admitted — never after them.
    if (statuses[59] === 200) expect(statuses.filter((s) => s === 401).length).toBeLessThan(freeAttempts);
    // The rest waited (429) or, arriving after the first wait ended, were asked for a CAPTCHA (403).
    const refused = results.filter((r) => r.status === 429 || r.body?.error?.code === "captcha_required");
    expect(refused.length).toBe(60 - statuses.filter((s) => s === 401 || s === 200).length);
  });

  it("40 wrong passwords at once from 40 IPs: at most 5 are checked, the rest must solve a CAPTCHA", async () => {
    const email = uniqueEmail("spread");
    await createAccount(throttled.ctx, "user", email, password);
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        post(throttled, "/api/user/auth/login", { email, password: wrongPassword }, freshIp()),
      ),
    );
    expect(results.filter((r) => r.status === 401).length).toBe(freeAttempts);
    expect(results.filter((r) => r.body?.error?.code === "captcha_required")).toHaveLength(40 - freeAttempts);
    const owner = await post(throttled, "/api/user/auth/login", { email, password }, freshIp());
    expect(owner.body.error.code).toBe("captcha_required");
    expect(owner.setCookies).toEqual([]);
  });

  it("40 reset requests at once for one account from one IP send at most 5 mails", async () => {
    const email = uniqueEmail("bombed");
    await createAccount(throttled.ctx, "user", email, password);
    const ip = freshIp();
    const results = await Promise.all(
      Array.from({ length: 40 }, () => post(throttled, "/api/user/auth/password-reset", { email }, ip)),
    );
    const accepted = results.filter((r) => r.status === 202).length;
    expect(accepted).toBeLessThanOrEqual(freeAttempts);
    const refused = results.filter((r) => r.status === 429 || r.body?.error?.code === "captcha_required");
    expect(refused).toHaveLength(40 - accepted);
    // Work is scheduled only for admitted requests, before each answer: once every answer is in, each
    // admitted request records one event and sends one mail, and nothing else is coming.
    const requested = () =>
      throttled.audit.events.filter((e) => e.type === "password_reset_requested" && e.details.email === email);
    await vi.waitFor(() => expect(requested()).toHaveLength(accepted), { timeout: 10_000 });
    await vi.waitFor(() => expect(throttled.mailer.sent.filter((m) => m.to === email)).toHaveLength(accepted), {
      timeout: 10_000,
    });
    expect(throttled.mailer.sent.filter((m) => m.to === email).length).toBeLessThanOrEqual(freeAttempts);
  });
});

describe("parallel one-time-code guessing, throttling off: the code's own limit of 5 holds", () => {
  for (const [label, ipFor] of [
    ["one IP", () => "198.19.250.1"],
    ["40 IPs", freshIp],
  ] as const) {
    it(`39 wrong codes and then the right one, all in flight at once, from ${label}: never signed in (5 runs)`, async () => {
      for (let run = 0; run < 5; run++) {
        const email = uniqueEmail("otp-race");
        const principal = await createAccount(unthrottled.ctx, "user", email, password);
        const issued = await unthrottled.ctx.abuse.otp.issue(principal);
        if (!issued) throw new Error("no code issued");
        const wrong = (i: number) => String((Number(issued.code) + i + 1) % 1_000_000).padStart(6, "0");
        const guess = (code: string) => post(unthrottled, "/api/user/auth/otp/verify", { email, code }, ipFor());
        const wrongGuesses = Array.from({ length: 39 }, (_, i) => guess(wrong(i)));
        // The right code is sent while the wrong ones are still being answered.
        await new Promise((resolve) => setTimeout(resolve, 2));
        const results = await Promise.all([...wrongGuesses, guess(issued.code)]);
        expect(results.map((r) => r.status)).toEqual(Array(40).fill(401));
        expect(results.every((r) => r.body.error.code === "otp_invalid")).toBe(true);
        expect(await unthrottled.ctx.abuse.otp.verify(principal, issued.code), "the code is dead").toBe(false);
        expect(await unthrottled.ctx.sessions.listForPrincipal("user", principal.id)).toEqual([]);
      }
    });
  }
});

describe("sign-in racing a credential change: no session outlives it", () => {
  /** Fires `count` sign-ins with `oldPassword`, spread over ~40 ms, while `change` runs. */
  async function race(email: string, oldPassword: string, change: () => Promise<unknown>) {
    const ip = freshIp();
    const browsers = Array.from({ length: 6 }, () => new Browser(unthrottled.baseUrl));
    const logins = browsers.map(async (browser, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 7));
      return post(unthrottled, "/api/user/auth/login", { email, password: oldPassword }, ip, browser);
    });
    await Promise.all([...logins, change()]);
    return browsers;
  }

  it("20 runs of sign-ins with the old password during a password change: 0 old-password sessions survive", async () => {
    let survivors = 0;
    for (let run = 0; run < 20; run++) {
      const email = uniqueEmail("change-race");
      const oldPassword = `old password ${run} abcdef`;
      const principal = await createAccount(unthrottled.ctx, "user", email, oldPassword);
      const owner = new Browser(unthrottled.baseUrl);
      expect((await owner.login("user", email, oldPassword)).status).toBe(200);
      const browsers = await race(email, oldPassword, async () => {
        const changed = await owner.request("POST", "/api/user/auth/password", {
          realm: "user",
          body: { currentPassword: oldPassword, newPassword: `new password ${run} ghijkl` },
        });
        expect(changed.status).toBe(200);
      });
      const live = await unthrottled.ctx.sessions.listForPrincipal("user", principal.id);
      survivors += live.length - 1;
      expect(live).toHaveLength(1);
      for (const browser of browsers) expect((await browser.session("user", { passive: true })).status).toBe(401);
      expect((await owner.session("user", { passive: true })).status).toBe(200);
    }
    expect(survivors).toBe(0);
  }, 120_000);

  it("10 runs of sign-ins with the old password during a password reset: no session survives", async () => {
    for (let run = 0; run < 10; run++) {
      const email = uniqueEmail("reset-race");
      const oldPassword = `old password ${run} mnopqr`;
      const principal = await createAccount(unthrottled.ctx, "user", email, oldPassword);
      const issued = await unthrottled.ctx.passwords.requestReset("user", email);
      if (!issued) throw new Error("no reset token");
      const browsers = await race(email, oldPassword, async () => {
        const confirmed = await post(
          unthrottled,
          "/api/user/auth/password-reset/confirm",
          { token: issued.token, newPassword: `new password ${run} stuvwx` },
          freshIp(),
        );
        expect(confirmed.status).toBe(200);
      });
      expect(await unthrottled.ctx.sessions.listForPrincipal("user", principal.id)).toEqual([]);
      for (const browser of browsers) expect((await browser.session("user", { passive: true })).status).toBe(401);
    }
  }, 120_000);
});
