import type { SessionRecord } from "./session-store.ts";

/**
 * A session's deadlines, the absolute one first (it is the one reported when both have passed).
 * Each deadline is the first instant at which the session is over: a session is live while `now` is
 * strictly before every one of them. Stores that filter in SQL build their predicate from this list
 * (`packages/server/src/stores/session-liveness.ts`: live = every deadline `> now`, ended = any
 * deadline `<= now`), and a contract test checks both against `isLive` at the exact boundaries.
 */
export const sessionDeadlines = [
  { field: "expiresAt", reason: "absolute_timeout" },
  { field: "idleExpiresAt", reason: "idle_timeout" },
] as const satisfies ReadonlyArray<{ field: keyof SessionRecord; reason: string }>;

export type SessionDeadline = (typeof sessionDeadlines)[number];
export type SessionEndReason = SessionDeadline["reason"];

type Deadlines = Pick<SessionRecord, SessionDeadline["field"]>;

/** The deadline a session has reached at `now` (the absolute one first), or null while it is live. */
export function passedDeadline(session: Deadlines, now: Date): SessionEndReason | null {
  for (const deadline of sessionDeadlines) {
    if (now.getTime() >= session[deadline.field].getTime()) return deadline.reason;
  }
  return null;
}

/** The one definition of "session is live": `now` is before both its absolute and its idle deadline. */
export function isLive(session: Deadlines, now: Date): boolean {
  return passedDeadline(session, now) === null;
}
