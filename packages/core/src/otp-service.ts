import { createHmac } from "node:crypto";
import type { OtpStore } from "./otp-store.ts";
import type { Clock, RandomSource } from "./ports.ts";

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
