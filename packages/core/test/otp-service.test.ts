import { describe, expect, it } from "vitest";
import { defaultOtpPolicy, FixedClock, OtpService } from "../src/index.ts";
import { MemoryOtpStore } from "../src/testing/index.ts";
import { cryptoRandom } from "./helpers.ts";

function setup() {
  const clock = new FixedClock("2026-03-01T08:00:00.000Z");
  const otp = new OtpService(
    { store: new MemoryOtpStore(), clock, random: cryptoRandom, policy: defaultOtpPolicy },
    new Uint8Array(32).fill(7),
  );
  return { clock, otp };
}
const alice = { realm: "user", id: "00000000-0000-4000-8000-00000000000a" };

describe("OtpService", () => {
  it("issues 6-digit codes that work once, for their principal only", async () => {
    const { otp } = setup();
    const issued = await otp.issue(alice);
    expect(issued?.code).toMatch(/^\d{6}$/);
    const code = issued?.code ?? "";
    expect(await otp.verify({ realm: "user", id: "00000000-0000-4000-8000-00000000000b" }, code)).toBe(false);
    expect(await otp.verify({ realm: "admin", id: alice.id }, code)).toBe(false);
    expect(await otp.verify(alice, code)).toBe(true);
    expect(await otp.verify(alice, code)).toBe(false);
  });

  it("does the same store work for an unknown or disabled account as for a wrong code (no timing oracle)", async () => {
    const store = new MemoryOtpStore();
    const consumed: string[] = [];
    const consume = store.consume.bind(store);
    store.consume = (realm, principalId, codeHash, now) => {
      consumed.push(principalId);
      return consume(realm, principalId, codeHash, now);
    };
    const otp = new OtpService(
      { store, clock: new FixedClock("2026-03-01T08:00:00.000Z"), random: cryptoRandom, policy: defaultOtpPolicy },
      new Uint8Array(32).fill(7),
    );
    const principal = {
      ...alice,
      email: "alice@example.com",
      displayName: null,
      passwordHash: null,
      disabledAt: null,
      credentialsVersion: 0,
      createdAt: new Date(),
    };
    const issued = await otp.issue(principal);
    expect(await otp.verifyFor("user", null, "123456")).toBeNull();
    expect(await otp.verifyFor("user", { ...principal, disabledAt: new Date() }, issued?.code ?? "")).toBeNull();
    expect(await otp.verifyFor("user", principal, "000000")).toBeNull();
    expect(consumed).toHaveLength(3);
    expect(consumed[0]).not.toBe(alice.id);
  });

  it("expires codes after 10 minutes and enforces the resend cooldown", async () => {
    const { clock, otp } = setup();
    const first = await otp.issue(alice);
    clock.advance({ seconds: 59 });
    expect(await otp.issue(alice)).toBeNull();
    clock.advance({ seconds: 541 });
    expect(await otp.verify(alice, first?.code ?? "")).toBe(false);
    expect(await otp.issue(alice)).not.toBeNull();
  });

  it("draws digits uniformly enough that all ten appear", async () => {
    const { clock, otp } = setup();
    const digits = new Set<string>();
    for (let i = 0; i < 20; i++) {
      clock.advance({ minutes: 2 });
      for (const d of (await otp.issue(alice))?.code ?? "") digits.add(d);
    }
    expect(digits.size).toBe(10);
  });
});
