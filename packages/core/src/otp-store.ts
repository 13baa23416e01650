/** One live one-time code of a principal. Only the HMAC of the code is stored. */
export interface OtpCodeRecord {
  realm: string;
  principalId: string;
  codeHash: string;
  createdAt: Date;
  expiresAt: Date;
  /** Guesses left; each guess takes one, and at 0 the code is dead even if the right one comes next. */
  attemptsLeft: number;
}

/** `ok`: the code matched and is now spent. `mismatch`: a live code exists, this was not it. `none`: no live code. */
export type OtpConsumeResult = "ok" | "mismatch" | "none";

/**
 * One-time sign-in codes, one per principal and realm. Implementations: memory (tests) and
 * PostgreSQL/PGlite; both pass the OtpStore contract. Every method is a single atomic step.
 */
export interface OtpStore {
  /**
   * Stores a new code, replacing the principal's previous one — unless that one was created after
   * `cooldownSince` (a resend too soon): then nothing changes and the answer is false.
   */
  issue(record: OtpCodeRecord, cooldownSince: Date): Promise<boolean>;
  /**
   * One guess, in one atomic step: takes one attempt off the live code (if any) and spends the code
   * when `codeHash` matches. Of any number of parallel guesses, at most `attemptsLeft` are compared
   * and exactly one right guess wins.
   */
  consume(realm: string, principalId: string, codeHash: string, now: Date): Promise<OtpConsumeResult>;
}
