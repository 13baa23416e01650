import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  AbuseThrottle,
  buildThrottleCatalog,
  defaultRateLimits,
  defaultThrottlePolicy,
  FixedClock,
  GatehouseError,
  type ThrottleSubject,
} from "../src/index.ts";
import { MemoryThrottleStore } from "../src/testing/index.ts";

function setup() {
  const clock = new FixedClock("2026-03-01T08:00:00.000Z");
  const spent = new Set<string>();
  const captcha = {
    // "good-*" verifies once; everything else never.
    verify: async (solution: string) => solution.startsWith("good-") && !spent.has(solution) && !!spent.add(solution),
  };
  const throttle = new AbuseThrottle({
    store: new MemoryThrottleStore(),
    clock,
    policy: defaultThrottlePolicy,
    captcha,
    accountKeySecret: new Uint8Array(32).fill(7),
    catalog: buildThrottleCatalog({ ...defaultRateLimits, captchaChallengesPerMinute: 3 }),
  });
  return { clock, throttle };
}

async function errorOf(promise: Promise<unknown>): Promise<GatehouseError | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof GatehouseError) return error;
    throw error;
  }
}

const wrong = () => Promise.reject(new GatehouseError("invalid_credentials"));
const right = async () => "signed in";

/** One login attempt through the throttle: the error code, or null when `run` was reached and succeeded. */
function login(
  throttle: AbuseThrottle,
  subject: ThrottleSubject,
  captcha?: string,
  run: () => Promise<unknown> = wrong,
) {
  return errorOf(throttle.attempt("login", "user", subject, captcha, run));
}

describe("AbuseThrottle", () => {
  it("clear() lifts an IP's delay and CAPTCHA, or an account's CAPTCHA, and nothing else", async () => {
    const { throttle } = setup();
    const attacker: ThrottleSubject = { ip: "198.51.100.7", account: "victim@example.com" };
    for (let i = 0; i < 5; i++) expect((await login(throttle, attacker))?.code).toBe("invalid_credentials");
    expect((await login(throttle, attacker))?.code).toBe("rate_limited");
    // The owner, from another IP, needs a CAPTCHA now too (account counter).
    const owner: ThrottleSubject = { ip: "203.0.113.9", account: "victim@example.com" };
    expect((await login(throttle, owner, undefined, right))?.code).toBe("captcha_required");

    expect(await throttle.clear({ account: "victim@example.com" }, ["user", "admin"])).toBe(1);
    expect(await login(throttle, owner, undefined, right)).toBeNull();
    // The attacker's IP still waits: clearing the account did not touch it.
    expect((await login(throttle, attacker))?.code).toBe("rate_limited");
    expect(await throttle.clear({ ip: "198.51.100.7" }, ["user", "admin"])).toBe(1);
    expect((await login(throttle, { ip: "198.51.100.7" }))?.code).toBe("invalid_credentials");
    expect(await throttle.clear({ ip: "192.0.2.1" }, ["user"])).toBe(0);
  });

  it("lets an IP fail 5 times, then doubles its wait with the right Retry-After", async () => {
    const { clock, throttle } = setup();
    const subject: ThrottleSubject = { ip: "198.51.100.1", account: "a@example.com" };
    for (let i = 0; i < 5; i++) expect((await login(throttle, subject))?.code).toBe("invalid_credentials");
    for (const expected of [1, 2, 4, 8]) {
      const limited = await login(throttle, subject, "good-x");
      expect(limited?.code).toBe("rate_limited");
      expect(limited?.headers["retry-after"]).toBe(String(expected));
      clock.advance({ seconds: expected - 1 });
      expect((await login(throttle, subject, "good-x"))?.code).toBe("rate_limited");
      clock.advance({ seconds: 1 });
      expect((await login(throttle, subject, `good-${expected}`))?.code).toBe("invalid_credentials");
    }
  });

  it("demands a CAPTCHA for an account failed from many IPs, never a wait, and spends each solution", async () => {
    const { throttle } = setup();
    const account = "victim@example.com";
    for (let i = 0; i < 50; i++) await login(throttle, { ip: `203.0.113.${i}`, account });
    const owner = { ip: "192.0.2.77", account };
    expect((await login(throttle, owner, undefined, right))?.code).toBe("captcha_required");
    expect((await login(throttle, owner, "bad", right))?.code).toBe("captcha_invalid");
    expect(await login(throttle, owner, "good-1", right)).toBeNull();
    expect((await login(throttle, owner, "good-1", right))?.code).toBe("captcha_invalid");
    expect(await login(throttle, { ip: "192.0.2.77", account: "other@example.com" }, undefined, right)).toBeNull();
    expect(await errorOf(throttle.attempt("otp", "user", owner, undefined, right))).toBeNull();
    expect(await errorOf(throttle.attempt("login", "admin", owner, undefined, right))).toBeNull();
  });

  it("counts parallel attempts as they start: of 60 at once from one IP, 5 reach the check", async () => {
    const { throttle } = setup();
    const subject = { ip: "198.51.100.9", account: "burst@example.com" };
    let checks = 0;
    const slowWrong = async () => {
      checks += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new GatehouseError("invalid_credentials");
    };
    const results = await Promise.all(Array.from({ length: 60 }, () => login(throttle, subject, undefined, slowWrong)));
    expect(checks).toBe(defaultThrottlePolicy.ipFreeFailures);
    expect(results.filter((e) => e?.code === "rate_limited")).toHaveLength(60 - checks);
  });

  it("of 40 parallel attempts on one account from 40 IPs, 5 reach the check; the rest need a CAPTCHA", async () => {
    const { throttle } = setup();
    let checks = 0;
    const slowWrong = async () => {
      checks += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new GatehouseError("invalid_credentials");
    };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        login(throttle, { ip: `203.0.113.${i}`, account: "many@example.com" }, undefined, slowWrong),
      ),
    );
    expect(checks).toBe(defaultThrottlePolicy.captchaAfterFailures);
    expect(results.filter((e) => e?.code === "captcha_required")).toHaveLength(35);
  });

  it("gives successes and refusals back: they never count as failures", async () => {
    const { clock, throttle } = setup();
    const subject = { ip: "198.51.100.4", account: "d@example.com" };
    for (let i = 0; i < 20; i++) expect(await login(throttle, subject, undefined, right)).toBeNull();
    for (let i = 0; i < 4; i++) await login(throttle, subject);
    // Bad input or a storage error is not a wrong password either.
    const other = () => Promise.reject(new GatehouseError("validation_failed"));
    for (let i = 0; i < 5; i++)
      expect((await login(throttle, subject, undefined, other))?.code).toBe("validation_failed");
    expect((await login(throttle, subject))?.code).toBe("invalid_credentials");
    clock.advance({ seconds: 1 });
    expect((await login(throttle, subject, undefined, right))?.code).toBe("captcha_required");
  });

  it("forgets after a quiet window", async () => {
    const { clock, throttle } = setup();
    const subject = { ip: "198.51.100.2", account: "b@example.com" };
    for (let i = 0; i < 5; i++) await login(throttle, { ...subject, ip: `198.51.100.${10 + i}` });
    expect((await login(throttle, subject, undefined, right))?.code).toBe("captcha_required");
    clock.advance({ seconds: defaultThrottlePolicy.windowSeconds });
    expect(await login(throttle, subject, undefined, right)).toBeNull();
  });

  it("does not forget an IP the moment its longest wait ends", async () => {
    const { clock, throttle } = setup();
    const policy = defaultThrottlePolicy;
    const subject = { ip: "198.51.100.5" };
    // Enough failures for the longest delay (2^n ≥ maxDelaySeconds).
    const failures = policy.ipFreeFailures + Math.ceil(Math.log2(policy.maxDelaySeconds)) + 1;
    for (let i = 0; i < failures; ) {
      const outcome = await login(throttle, subject, `good-${i}`);
      if (outcome?.code === "rate_limited") clock.advance({ seconds: Number(outcome.headers["retry-after"]) });
      else i += 1;
    }
    const limited = await login(throttle, subject, "good-late");
    expect(limited?.headers["retry-after"]).toBe(String(policy.maxDelaySeconds));
    clock.advance({ seconds: policy.maxDelaySeconds });
    // The wait is over, but the counter is still there: a CAPTCHA is still due.
    expect((await login(throttle, subject, undefined, right))?.code).toBe("captcha_required");
  });

  it("counts every request of an every-request action (password-reset requests), parallel ones included", async () => {
    const { throttle } = setup();
    const subject = { ip: "198.51.100.3", account: "c@example.com" };
    const request = () => errorOf(throttle.attempt("password-reset", "user", subject, undefined, right));
    const results = await Promise.all(Array.from({ length: 40 }, request));
    expect(results.filter((e) => e === null)).toHaveLength(5);
    expect((await request())?.code).toBe("rate_limited");
  });
});

describe("AbuseThrottle.limitRate", () => {
  it("allows max requests per fixed window, then 429 until the window ends", async () => {
    const { clock, throttle } = setup();
    clock.set("2026-03-01T08:00:10.000Z");
    for (let i = 0; i < 3; i++) await throttle.limitRate("captcha", null, "192.0.2.1");
    const limited = await errorOf(throttle.limitRate("captcha", null, "192.0.2.1"));
    expect(limited?.code).toBe("rate_limited");
    expect(limited?.headers["retry-after"]).toBe("50");
    expect(await errorOf(throttle.limitRate("captcha", null, "192.0.2.2"))).toBeNull();
    clock.advance({ seconds: 50 });
    expect(await errorOf(throttle.limitRate("captcha", null, "192.0.2.1"))).toBeNull();
  });
});

describe("AbuseThrottle account keys", () => {
  it("are a keyed hash of the email: not the email, not its plain hash, different under another secret", async () => {
    const keysUnder = async (fill: number) => {
      const store = new MemoryThrottleStore();
      const seen: string[] = [];
      const reserve = store.reserve.bind(store);
      store.reserve = async (key, now, windowSeconds, gate) => {
        seen.push(key);
        return reserve(key, now, windowSeconds, gate);
      };
      const throttle = new AbuseThrottle({
        store,
        clock: new FixedClock("2026-03-01T08:00:00.000Z"),
        policy: defaultThrottlePolicy,
        captcha: { verify: async () => false },
        accountKeySecret: new Uint8Array(32).fill(fill),
      });
      await login(throttle, { ip: "203.0.113.1", account: "amina@example.com" });
      return seen.filter((k) => k.includes(":acct:"));
    };
    const [first] = await keysUnder(1);
    const [second] = await keysUnder(2);
    const plain = createHash("sha256").update("throttle-account:amina@example.com").digest("base64url");
    expect(first).toMatch(/^throttle:login:user:acct:[\w-]{43}$/);
    expect(first).not.toContain("amina");
    expect(first).not.toContain(plain);
    expect(second).not.toBe(first);
  });
});
