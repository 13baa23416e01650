export type IdlePhase = "active" | "warning" | "expired";

/**
 * Where a session stands against its idle deadline (the server's `idleExpiresAt`): active, inside the
 * warning window before it, or past it. The page mirrors the server; the server decides.
 */
export function idlePhase(options: { idleExpiresAt: Date | string; now: number; warningMs: number }): {
  phase: IdlePhase;
  msLeft: number;
} {
  const msLeft = new Date(options.idleExpiresAt).getTime() - options.now;
  if (msLeft <= 0) return { phase: "expired", msLeft: 0 };
  return { phase: msLeft <= options.warningMs ? "warning" : "active", msLeft };
}

/** How long before the end the warning shows: a minute, or a fifth of a short timeout (tests, demos). */
export function warningWindowMs(idleTimeoutMs: number): number {
  return Math.min(60_000, Math.max(1_000, Math.floor(idleTimeoutMs / 5)));
}
