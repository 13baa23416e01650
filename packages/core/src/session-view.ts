import type { SessionRecord } from "./session-store.ts";

/** The only shape of a session that leaves the server: no secret hash, no principal internals. */
export function toPublicSession(session: SessionRecord) {
  return {
    id: session.id,
    realm: session.realm,
    createdAt: session.createdAt.toISOString(),
    /** The last recorded activity: written at most once per activity interval (docs/sessions.md). */
    lastActiveAt: session.lastActivityAt.toISOString(),
    /** The absolute deadline. */
    expiresAt: session.expiresAt.toISOString(),
    /** When the session ends without further activity. */
    idleExpiresAt: session.idleExpiresAt.toISOString(),
    rememberMe: session.rememberMe,
    /** `full`, or an unfinished sign-in: `second_factor` (code due) or `enrolment` (a factor must be enrolled). */
    stage: session.stage,
    /** The last proof of identity (sign-in or re-authentication): sensitive actions need one within 5 minutes. */
    authenticatedAt: session.authenticatedAt.toISOString(),
  };
}
export type PublicSession = ReturnType<typeof toPublicSession>;
