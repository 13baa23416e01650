import { createHmac } from "node:crypto";
import type { OtpStore } from "./otp-store.ts";
import type { Clock, RandomSource } from "./ports.ts";
import type { Principal } from "./principals.ts";

/** The nil UUID: no principal ever has it (ids are random v4 UUIDs). */
const absentPrincipalId = "00000000-0000-0000-0000-000000000000";

export interface OtpPolicy {
  codeLength: number;
  ttlSeconds: number;
  /** Wrong guesses a code survives. */
  maxAttempts: number;
  resendCooldownSeconds: number;
}

export const defaultOtpPolicy: OtpPolicy = {
  codeLength: 6,
  ttlSeconds: 600,
  maxAttempts: 5,
  resendCooldownSeconds: 60,
};

/**
 * Emailed one-time sign-in codes. A code is stored as an HMAC under a server key, bound to the realm
 * and principal, so a database leak reveals nothing usable and a code never works for someone else.
 */
export class OtpService {
  private readonly key: Buffer;

  constructor(
    private readonly deps: { store: OtpStore; clock: Clock; random: RandomSource; policy: OtpPolicy },
    serverKey: Uint8Array,
  ) {
    if (serverKey.length < 32) throw new Error("The one-time-code key needs at least 32 bytes");
    this.key = createHmac("sha256", serverKey).update("gatehouse:otp:v1").digest();
  }

  get policy(): OtpPolicy {
    return this.deps.policy;
  }

  /** A fresh code for the principal, or null while the previous one is inside its resend cooldown. */
  async issue(principal: { realm: string; id: string }): Promise<{ code: string; expiresAt: Date } | null> {
    const { policy, clock, store } = this.deps;
    const now = clock.now();
    const code = this.randomCode();
    const expiresAt = new Date(now.getTime() + policy.ttlSeconds * 1000);
    const stored = await store.issue(
      {
        realm: principal.realm,
        principalId: principal.id,
        codeHash: this.hash(principal, code),
        createdAt: now,
        expiresAt,
        attemptsLeft: policy.maxAttempts,
      },
      new Date(now.getTime() - policy.resendCooldownSeconds * 1000),
    );
    return stored ? { code, expiresAt } : null;
  }

  /** True once for the right code inside its lifetime and attempt budget; spends it. */
  async verify(principal: { realm: string; id: string }, code: string): Promise<boolean> {
    const result = await this.deps.store.consume(
      principal.realm,
      principal.id,
      this.hash(principal, code),
      this.deps.clock.now(),
    );
    return result === "ok";
  }

  /**
   * Signs in with a code: the principal when its code verifies and the account is enabled, else null.
   * An unknown account (null) or a disabled one goes through the same hash and store step as a wrong
   * code (against an id no principal has), so the answer's timing does not tell whether it exists.
   */
  async verifyFor(realm: string, principal: Principal | null, code: string): Promise<Principal | null> {
    const ok = await this.verify({ realm, id: principal?.id ?? absentPrincipalId }, code);
    return ok && principal && !principal.disabledAt ? principal : null;
  }

  private hash(principal: { realm: string; id: string }, code: string): string {
    return createHmac("sha256", this.key).update(`${principal.realm}\u0000${principal.id}\u0000${code}`).digest("hex");
  }

  /** Uniform digits: 32-bit draws above the largest multiple of 10^n are rejected, so no digit is favoured. */
  private randomCode(): string {
    const range = 10 ** this.deps.policy.codeLength;
    const limit = Math.floor(2 ** 32 / range) * range;
    for (;;) {
      const value = Buffer.from(this.deps.random.bytes(4)).readUInt32BE(0);
      if (value < limit) return String(value % range).padStart(this.deps.policy.codeLength, "0");
    }
  }
}
