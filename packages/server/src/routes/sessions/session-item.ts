import type { SessionRecord } from "@gatehouse/core";
import { z } from "zod";
import { describeUserAgent } from "../../http/user-agent.ts";

/** One session in a list (own sessions, or an admin's view of a principal's sessions). */
export const sessionListItem = z
  .object({
    id: z.string(),
    realm: z.string(),
    createdAt: z.iso.datetime(),
    lastActiveAt: z.iso.datetime(),
    /** The absolute deadline. */
    expiresAt: z.iso.datetime(),
    /** When the session ends without further activity. */
    idleExpiresAt: z.iso.datetime(),
    ip: z.string().nullable(),
    browser: z.string().nullable(),
    os: z.string().nullable(),
    /** Whether this is the session making the request. */
    current: z.boolean(),
  })
  .meta({ id: "SessionListItem" });

export type SessionListItem = z.infer<typeof sessionListItem>;

/** The only listing shape of a session: no secret hash, and the raw user agent reduced to browser and OS. */
export function toSessionListItem(session: SessionRecord, currentSessionId: string | null): SessionListItem {
  return {
    id: session.id,
    realm: session.realm,
    createdAt: session.createdAt.toISOString(),
    lastActiveAt: session.lastActivityAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    idleExpiresAt: session.idleExpiresAt.toISOString(),
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
