import { type SessionRecord, toPublicSession } from "@gatehouse/core";
import { z } from "zod";
import { sessionResponse } from "../../http/schemas.ts";
import { describeUserAgent } from "../../http/user-agent.ts";

/**
 * One session in a list (own sessions, or an admin's view of a principal's sessions): the public
 * session plus where it was used from and whether it is the caller's own.
 */
export const sessionListItem = sessionResponse
  .extend({
    ip: z.string().nullable(),
    browser: z.string().nullable(),
    os: z.string().nullable(),
    current: z.boolean().describe("Whether this is the session making the request"),
  })
  .meta({ id: "SessionListItem" });

export type SessionListItem = z.infer<typeof sessionListItem>;

/** The only listing shape of a session: no secret hash, and the raw user agent reduced to browser and OS. */
export function toSessionListItem(session: SessionRecord, currentSessionId: string | null): SessionListItem {
  return {
    ...toPublicSession(session),
    ip: session.ip,
    ...describeUserAgent(session.userAgent),
    current: session.id === currentSessionId,
  };
}

/** A session id as it appears in a path: the id half of a token, never the secret. */
export const sessionIdParam = z.string().min(1).max(64);

/** `realm:principalId` — who did something, as recorded in the audit log's `actor`. */
export function actorOf(session: SessionRecord): string {
  return `${session.realm}:${session.principalId}`;
}
