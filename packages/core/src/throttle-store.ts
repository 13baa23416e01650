/** A counter's state: how many events, and when the last one happened. */
export interface ThrottleCount {
  count: number;
  lastAt: Date;
}

/**
 * Atomic counters for abuse protection. Implementations: memory (tests), PostgreSQL/PGlite (one
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING`), Redis (one Lua script); all pass one contract suite.
 * Keys are built by the caller and never contain a secret or a raw email (they are hashed first).
 * Time always comes from the caller's clock, so a counter expires on the same clock that reads it.
 */
export interface ThrottleStore {
  /** Counts one event. A counter that saw no event for `windowSeconds` starts again at 1. */
  hit(key: string, now: Date, windowSeconds: number): Promise<ThrottleCount>;
  /** The live counter, or null when there is none or it has expired. */
  peek(key: string, now: Date): Promise<ThrottleCount | null>;
  /** Marks a single-use key (e.g. a solved CAPTCHA) as used until `expiresAt`; true for the first caller only. */
  claimOnce(key: string, now: Date, expiresAt: Date): Promise<boolean>;
}
