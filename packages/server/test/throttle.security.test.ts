import { randomBytes } from "node:crypto";
import { FixedClock } from "@gatehouse/core";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abuseTestEnv, throttleBackend } from "./support/abuse-env.ts";
import { Browser } from "./support/browser.ts";
import { solveCaptcha } from "./support/captcha.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const password = "user password 12345";
const clock = new FixedClock("2026-05-01T09:00:00.000Z");

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, clock, env: abuseTestEnv() });
  for (const name of ["owner", "bystander", "victim", "neighbour"]) {
    await createAccount(server.ctx, "user", `${name}@example.com`, password);
  }
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

function loginFrom(ip: string, body: Record<string, unknown>, browser = new Browser(server.baseUrl)) {
  return browser.request("POST", "/api/user/auth/login", { body, headers: { "x-forwarded-for": ip } });
}

describe(`login throttling per IP (${throttleBackend} counters)`, () => {
  const attacker = "198.51.100.10";

  it("slows an IP that keeps failing, with growing delays and a correct Retry-After", async () => {
    for (let i = 0; i < 5; i++) {
      const failed = await loginFrom(attacker, { email: `nobody-${i}@example.com`, password: "wrong password 000" });
      expect(failed.status).toBe(401);
    }
    // Even the right password is not tried while the IP waits.
    const limited = await loginFrom(attacker, { email: "owner@example.com", password });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.setCookies).toEqual([]);

    // Another IP is unaffected, and the owner's account was never the target.
    expect((await loginFrom("192.0.2.20", { email: "owner@example.com", password })).status).toBe(200);

    clock.advance({ seconds: 1 });
    // After the wait the IP must also solve a CAPTCHA; a failure then doubles the wait.
    const noCaptcha = await loginFrom(attacker, { email: "nobody@example.com", password: "wrong password 000" });
    expect(noCaptcha.body.error.code).toBe("captcha_required");
    const captcha = await solveCaptcha(server.baseUrl);
    const again = await loginFrom(attacker, { email: "nobody@example.com", password: "wrong password 000", captcha });
    expect(again.status).toBe(401);
    const longer = await loginFrom(attacker, { email: "nobody@example.com", password: "wrong password 000" });
    expect(longer.status).toBe(429);
    expect(longer.headers.get("retry-after")).toBe("2");
    expect(longer.body.error.details).toEqual({ retryAfterSeconds: 2 });

    clock.advance({ seconds: 1, milliseconds: 500 });
    // Refused attempts do not count: the deadline stays where it was, half a second away.
    expect(
      (await loginFrom(attacker, { email: "x@example.com", password: "wrong password 000" })).headers.get(
        "retry-after",
      ),
    ).toBe("1");
    clock.advance({ milliseconds: 500 });
    const captcha2 = await solveCaptcha(server.baseUrl);
    expect((await loginFrom(attacker, { email: "owner@example.com", password, captcha: captcha2 })).status).toBe(200);
  });

  it("forgets an IP after a quiet window", async () => {
    const ip = "198.51.100.11";
    for (let i = 0; i < 5; i++) await loginFrom(ip, { email: `n-${i}@example.com`, password: "wrong password 000" });
    expect((await loginFrom(ip, { email: "bystander@example.com", password })).status).toBe(429);
    // The window counts from the end of the wait the counter imposes (1 s here), never from the last failure.
    clock.advance({ minutes: 15 });
    expect((await loginFrom(ip, { email: "bystander@example.com", password })).status).toBe(403);
    clock.advance({ seconds: 1 });
    expect((await loginFrom(ip, { email: "bystander@example.com", password })).status).toBe(200);
  });

  it("records and counts throttled requests", async () => {
    const throttled = server.audit.events.filter((e) => e.type === "throttled");
    expect(throttled.length).toBeGreaterThanOrEqual(3);
    expect(throttled[0]).toMatchObject({ realm: "user", ip: attacker, details: { route: "/api/user/auth/login" } });
    const metrics = await fetch(`${server.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/gatehouse_throttled_total\{realm="user"\} [3-9]/);
  });
});

describe(`an account attacked from 50 IPs (${throttleBackend} counters)`, () => {
  it("demands a CAPTCHA for that account only, and its owner still signs in with one", async () => {
    for (let i = 0; i < 50; i++) {
      const failed = await loginFrom(`203.0.113.${i + 1}`, {
        email: "victim@example.com",
        password: "guess 123456789",
      });
      expect(failed.status, `attempt ${i + 1}`).toBe(i < 5 ? 401 : 403);
      if (i >= 5) expect(failed.body.error.code).toBe("captcha_required");
    }
    const owner = new Browser(server.baseUrl);
    const ownerIp = "192.0.2.99";
    const refused = await loginFrom(ownerIp, { email: "victim@example.com", password }, owner);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("captcha_required");
    expect(refused.setCookies).toEqual([]);

    const bad = await loginFrom(
      ownerIp,
      { email: "victim@example.com", password, captcha: "bm90IGEgc29sdXRpb24=" },
      owner,
    );
    expect(bad.body.error.code).toBe("captcha_invalid");

    const captcha = await solveCaptcha(server.baseUrl);
    const signedIn = await loginFrom(ownerIp, { email: "victim@example.com", password, captcha }, owner);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.principal.email).toBe("victim@example.com");
    expect((await owner.session("user")).status).toBe(200);

    // A solved challenge works once.
    const replay = await loginFrom("192.0.2.98", { email: "victim@example.com", password, captcha });
    expect(replay.body.error.code).toBe("captcha_invalid");

    // Never a wait for the account: an attacker IP gets the same CAPTCHA demand, not a lockout of the owner.
    const attackerAgain = await loginFrom("203.0.113.1", { email: "victim@example.com", password: "guess 123456789" });
    expect(attackerAgain.body.error.code).toBe("captcha_required");
  });

  it("leaves other accounts and other IPs alone", async () => {
    expect((await loginFrom("203.0.113.7", { email: "neighbour@example.com", password })).status).toBe(200);
    expect((await loginFrom("192.0.2.50", { email: "bystander@example.com", password })).status).toBe(200);
  });

  it("refuses an expired CAPTCHA", async () => {
    const captcha = await solveCaptcha(server.baseUrl);
    clock.advance({ minutes: 5 });
    const late = await loginFrom("192.0.2.97", { email: "victim@example.com", password, captcha });
    expect(late.body.error.code).toBe("captcha_invalid");
    const metrics = await fetch(`${server.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/gatehouse_captcha_failed_total\{realm="user"\} [3-9]/);
    expect(server.audit.events.filter((e) => e.type === "captcha_failed").length).toBeGreaterThanOrEqual(3);
  });

  it("keeps emails out of the counter keys", async () => {
    let stored: string;
    if (server.ctx.config.redisUrl) {
      const redis = new Redis(server.ctx.config.redisUrl);
      const keys = await redis.keys(`${server.ctx.config.abuse.redisKeyPrefix}*`);
      await redis.quit();
      stored = keys.join("\n");
    } else {
      stored = JSON.stringify(await db.database.db.query.throttleCounters.findMany());
    }
    expect(stored).toMatch(/throttle:login:user:acct:/);
    expect(stored).not.toMatch(/victim|@example\.com/);
  });
});

describe("X-Forwarded-For without a trusted proxy", () => {
  let direct: TestServer;
  beforeAll(async () => {
    const env = abuseTestEnv();
    delete env.TRUSTED_PROXIES;
    direct = await startTestServer({ database: db.database, clock, env });
  });
  afterAll(async () => {
    await direct?.close();
  });

  it("is ignored: rotating it does not escape the per-IP delay", async () => {
    const login = (i: number) =>
      fetch(`${direct.baseUrl}/api/admin/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `10.9.8.${i}` },
        body: JSON.stringify({ email: `spoof-${i}@example.com`, password: "wrong password 000" }),
      });
    for (let i = 0; i < 5; i++) expect((await login(i)).status).toBe(401);
    const limited = await login(99);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
  });
});

describe("repeated invalid session tokens from one client", () => {
  it("are counted and, beyond the limit, refused with 429 — valid sessions and other IPs unaffected", async () => {
    const guarded = await startTestServer({
      database: db.database,
      clock,
      env: abuseTestEnv({ THROTTLE_INVALID_TOKENS_PER_WINDOW: "3" }),
    });
    try {
      const guess = (ip: string) =>
        fetch(`${guarded.baseUrl}/api/user/auth/session`, {
          headers: {
            "x-forwarded-for": ip,
            cookie: `__Host-user_session=${randomBytes(16).toString("base64url")}.${randomBytes(32).toString("base64url")}`,
          },
        });
      for (let i = 0; i < 3; i++) expect((await guess("198.51.100.66")).status).toBe(401);
      const refused = await guess("198.51.100.66");
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("900");
      expect((await guess("198.51.100.67")).status).toBe(401);
      const owner = new Browser(guarded.baseUrl);
      const login = await owner.request("POST", "/api/user/auth/login", {
        body: { email: "owner@example.com", password },
        headers: { "x-forwarded-for": "198.51.100.66" },
      });
      expect(login.status).toBe(200);
      const session = await owner.request("GET", "/api/user/auth/session", {
        headers: { "x-forwarded-for": "198.51.100.66" },
      });
      expect(session.status).toBe(200);
      expect(guarded.audit.events.some((e) => e.type === "throttled" && e.ip === "198.51.100.66")).toBe(true);
    } finally {
      await guarded.close();
    }
  });
});

describe("an unreachable throttle store", () => {
  it("fails closed: 503, never an unthrottled login", async () => {
    const broken = await startTestServer({
      database: db.database,
      clock,
      env: { ...abuseTestEnv(), REDIS_URL: "redis://127.0.0.1:1" },
    });
    try {
      const response = await new Browser(broken.baseUrl).login("user", "owner@example.com", password);
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe("storage_unavailable");
      expect(response.setCookies).toEqual([]);
    } finally {
      await broken.close();
    }
  });
});
