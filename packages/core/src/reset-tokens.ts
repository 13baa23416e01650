/** A password-reset token at rest: only the SHA-256 of the emailed secret is kept. */
export interface ResetTokenRecord {
  tokenHash: string;
  realm: string;
  principalId: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Reset-token persistence. Implementations: memory (double) and PostgreSQL/PGlite; both pass
 * `resetTokenStoreContract`. Every method is one atomic step: no find-then-delete.
 */
export interface ResetTokenStore {
  /** Stores a new token and, in the same step, ends every earlier token of that principal in that realm. */
  issue(record: ResetTokenRecord): Promise<void>;
  /**
   * Consumes a token of the realm that is still valid at `now`, atomically (`DELETE … RETURNING`):
   * of any number of concurrent calls with one hash, at most one gets the record.
   */
  consume(realm: string, tokenHash: string, now: Date): Promise<ResetTokenRecord | null>;
  /** Ends every token of a principal in a realm (its password changed). Returns how many ended. */
  deleteByPrincipal(realm: string, principalId: string): Promise<number>;
}
