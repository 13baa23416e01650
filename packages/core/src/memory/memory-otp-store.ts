import type { OtpCodeRecord, OtpConsumeResult, OtpStore } from "../otp-store.ts";

/** In-process double; each method runs without an await inside, so it is atomic. Passes the OtpStore contract. */
export class MemoryOtpStore implements OtpStore {
  private readonly codes = new Map<string, OtpCodeRecord>();

  async issue(record: OtpCodeRecord, cooldownSince: Date): Promise<boolean> {
    const key = `${record.realm}\u0000${record.principalId}`;
    const current = this.codes.get(key);
    if (current && current.createdAt.getTime() > cooldownSince.getTime()) return false;
    this.codes.set(key, { ...record });
    return true;
  }

  async consume(realm: string, principalId: string, codeHash: string, now: Date): Promise<OtpConsumeResult> {
    const key = `${realm}\u0000${principalId}`;
    const current = this.codes.get(key);
    if (!current || current.expiresAt.getTime() <= now.getTime() || current.attemptsLeft <= 0) return "none";
    // Every guess takes an attempt; the right one ends the code (as the PostgreSQL store does).
    if (current.codeHash === codeHash) {
      this.codes.delete(key);
      return "ok";
    }
    current.attemptsLeft -= 1;
    return "mismatch";
  }
}
