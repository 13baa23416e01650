import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  AbuseThrottle,
  defaultThrottlePolicy,
  FixedClock,
  GatehouseError,
  MemoryThrottleStore,
  type ThrottleSubject,
} from "../src/index.ts";

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

describe("AbuseThrottle", () => {
  it("lets an IP fail 5 times, then doubles its wait with the right Retry-After", async () => {
    const { clock, throttle } = setup();
    const subject: ThrottleSubject = { ip: "198.51.100.1", account: "a@example.com" };
    for (let i = 0; i < 5; i++) {
      await throttle.guard("login", subject, undefined);
      await throttle.recordFailure("login", subject);
    }
    for (const expected of [1, 2, 4, 8]) {
      const limited = await errorOf(throttle.guard("login", subject, "good-x"));
      expect(limited?.code).toBe("rate_limited");
      expect(limited?.headers["retry-after"]).toBe(String(expected));
      clock.advance({ seconds: expected - 1 });
      expect((await errorOf(throttle.guard("login", subject, "good-x")))?.code).toBe("rate_limited");
      clock.advance({ seconds: 1 });
      await throttle.guard("login", subject, `good-${expected}`);
      await throttle.recordFailure("login", subject);
    }
  });

  it("demands a CAPTCHA for an account failed from many IPs, never a wait, and spends each solution", async () => {
    const { throttle } = setup();
    const account = "victim@example.com";
    for (let i = 0; i < 50; i++) await throttle.recordFailure("login", { ip: `203.0.113.${i}`, account });
    const owner = { ip: "192.0.2.77", account };
    expect((await errorOf(throttle.guard("login", owner, undefined)))?.code).toBe("captcha_required");
    expect((await errorOf(throttle.guard("login", owner, "bad")))?.code).toBe("captcha_invalid");
    expect(await errorOf(throttle.guard("login", owner, "good-1"))).toBeNull();
    expect((await errorOf(throttle.guard("login", owner, "good-1")))?.code).toBe("captcha_invalid");
    expect(await errorOf(throttle.guard("login", { ip: "192.0.2.77", account: "other@example.com" }, undefined))).toBe(
      null,
    );
    expect(await errorOf(throttle.guard("otp", owner, undefined))).toBeNull();
  });

  it("forgets after a quiet window", async () => {
    const { clock, throttle } = setup();
    const subject = { ip: "198.51.100.2", account: "b@example.com" };
    for (let i = 0; i < 5; i++) await throttle.recordFailure("login", { ...subject, ip: `198.51.100.${10 + i}` });
    expect((await errorOf(throttle.guard("login", subject, undefined)))?.code).toBe("captcha_required");
    clock.advance({ seconds: defaultThrottlePolicy.windowSeconds });
    expect(await errorOf(throttle.guard("login", subject, undefined))).toBeNull();
  });

  it("consume counts every request (password-reset requests)", async () => {
    const { throttle } = setup();
    const subject = { ip: "198.51.100.3", account: "c@example.com" };
    for (let i = 0; i < 5; i++) await throttle.consume("reset", subject, undefined);
    expect((await errorOf(throttle.consume("reset", subject, undefined)))?.code).toBe("rate_limited");
  });
});

describe("AbuseThrottle.limitRate", () => {
  it("allows max requests per fixed window, then 429 until the window ends", async () => {
    const { clock, throttle } = setup();
    clock.set("2026-03-01T08:00:10.000Z");
    for (let i = 0; i < 3; i++) await throttle.limitRate("captcha", "192.0.2.1", 3, 60);
    const limited = await errorOf(throttle.limitRate("captcha", "192.0.2.1", 3, 60));
    expect(limited?.code).toBe("rate_limited");
    expect(limited?.headers["retry-after"]).toBe("50");
    expect(await errorOf(throttle.limitRate("captcha", "192.0.2.2", 3, 60))).toBeNull();
    clock.advance({ seconds: 50 });
    expect(await errorOf(throttle.limitRate("captcha", "192.0.2.1", 3, 60))).toBeNull();
  });
});

describe("AbuseThrottle account keys", () => {
  it("are a keyed hash of the email: not the email, not its plain hash, different under another secret", async () => {
    const keysUnder = async (fill: number) => {
      const store = new MemoryThrottleStore();
      const seen: string[] = [];
      const hit = store.hit.bind(store);
      store.hit = async (key, now, windowSeconds) => {
        seen.push(key);
        return hit(key, now, windowSeconds);
      };
      const throttle = new AbuseThrottle({
        store,
        clock: new FixedClock("2026-03-01T08:00:00.000Z"),
        policy: defaultThrottlePolicy,
        captcha: { verify: async () => false },
        accountKeySecret: new Uint8Array(32).fill(fill),
      });
      await throttle.recordFailure("login:user", { ip: "203.0.113.1", account: "amina@example.com" });
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
