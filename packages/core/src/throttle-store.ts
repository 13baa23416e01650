/** A counter's state: how many events, and when the last one happened. */
export interface ThrottleCount {
  count: number;
  lastAt: Date;
}

/**
 * A growing wait in front of a counter: once it holds `freeCount` events, the next one is admitted
 * only `delaySeconds(count)` after the last (1 s, 2 s, 4 s, … up to `maxDelaySeconds`).
 */
export interface DelayGate {
  freeCount: number;
  maxDelaySeconds: number;
}

/** The wait a gated counter that holds `count` events imposes on the next one. */
export function gateDelaySeconds(count: number, gate: DelayGate): number {
  if (count < gate.freeCount) return 0;
  // The exponent is capped so that 2^n stays a finite number in every store (SQL float8, Lua, JS).
  return Math.min(gate.maxDelaySeconds, 2 ** Math.min(count - gate.freeCount, 30));
}

/**
 * The outcome of `reserve`. Admitted: the event is counted (`count` includes it) and can be given
 * back with `release` (pass `reservedAt` and `previousLastAt`). Refused: nothing changed; the counter
 * holds `count` events, the last at `lastAt`, and the gate opens `gateDelaySeconds(count)` after it.
 */
export type Reservation =
  | { admitted: true; count: number; reservedAt: Date; previousLastAt: Date | null }
  | { admitted: false; count: number; lastAt: Date };

/** What `release` needs of an admitted reservation. */
export interface Released {
  reservedAt: Date;
  previousLastAt: Date | null;
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
  /**
   * Counts one attempt *before* it is made, in one atomic step, so N parallel attempts are counted as N
   * (never check-then-act). With a gate, an attempt that comes while the gate is closed is refused and
   * not counted. The counter is kept for `windowSeconds` plus the wait its new count imposes, so it is
   * never forgotten while (or right when) a wait ends.
   */
  reserve(key: string, now: Date, windowSeconds: number, gate?: DelayGate): Promise<Reservation>;
  /**
   * Gives back one admitted reservation (the attempt succeeded, or was refused before it was made):
   * the count drops by one and, unless another event came since, the last event time and the expiry
   * go back to what they were (pass the `windowSeconds` and `gate` of the reservation).
   */
  release(key: string, reservation: Released, windowSeconds: number, gate?: DelayGate): Promise<void>;
  /** The live counter, or null when there is none or it has expired. */
  peek(key: string, now: Date): Promise<ThrottleCount | null>;
  /** Marks a single-use key (e.g. a solved CAPTCHA) as used until `expiresAt`; true for the first caller only. */
  claimOnce(key: string, now: Date, expiresAt: Date): Promise<boolean>;
  /** Deletes these counters (an operator clearing a throttle); returns how many existed, live or not. */
  remove(keys: readonly string[]): Promise<number>;
}
