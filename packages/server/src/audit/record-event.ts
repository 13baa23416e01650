import { hashSessionId, type SecurityEvent } from "@gatehouse/core";
import type { FastifyRequest } from "fastify";
import type { AppContext } from "../http/context.ts";

type EventInput = Pick<SecurityEvent, "type"> &
  Partial<Omit<SecurityEvent, "type" | "sessionIdHash" | "occurredAt">> & { sessionId?: string | null };

/**
 * Records a security event with the request's IP and user agent. The session id is hashed here, so
 * no caller can put a raw id or token into the audit log by mistake. Failures to record are logged,
 * never turned into a failed request.
 */
export async function recordEvent(ctx: AppContext, request: FastifyRequest | null, input: EventInput): Promise<void> {
  const { sessionId, ...rest } = input;
  const userAgent = request?.headers["user-agent"];
  const event: SecurityEvent = {
    realm: null,
    principalId: null,
    actor: null,
    ip: request?.ip ?? null,
    userAgent: typeof userAgent === "string" ? userAgent.slice(0, 512) : null,
    details: {},
    ...rest,
    sessionIdHash: sessionId ? hashSessionId(sessionId) : null,
    occurredAt: ctx.clock.now(),
  };
  try {
    await ctx.audit.record(event);
  } catch (error) {
    request?.log.error({ err: error, eventType: event.type }, "could not record security event");
  }
}

/** One `session_revoked` event per ended session, all with the same realm, principal, actor and details. */
export async function recordRevocations(
  ctx: AppContext,
  request: FastifyRequest,
  input: {
    realm: string;
    principalId: string;
    actor?: string | null;
    sessionIds: readonly string[];
    details: Record<string, unknown>;
  },
): Promise<void> {
  const { sessionIds, ...event } = input;
  for (const sessionId of sessionIds) {
    await recordEvent(ctx, request, { ...event, type: "session_revoked", sessionId });
  }
}
