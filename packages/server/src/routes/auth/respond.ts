import type { SecurityEventType } from "@gatehouse/core";
import {
  type Principal,
  type RealmPolicy,
  type SessionRecord,
  toPublicPrincipal,
  toPublicSession,
} from "@gatehouse/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import { recordEvent } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import { setSessionCookie } from "../../http/cookies.ts";

/** Body of every answer that establishes or reports a session: principal, session, CSRF token. */
export function authenticatedBody(ctx: AppContext, principal: Principal, session: SessionRecord) {
  return {
    principal: toPublicPrincipal(principal),
    session: toPublicSession(session),
    csrfToken: ctx.csrf.tokenFor(session),
  };
}

/** Sets the realm's cookie for a new session and returns the body to send. */
export function signedIn(
  ctx: AppContext,
  reply: FastifyReply,
  realm: RealmPolicy,
  result: { token: string; session: SessionRecord; principal: Principal },
) {
  setSessionCookie(reply, realm, ctx.config.cookies, result.token, result.session, ctx.clock.now());
  return authenticatedBody(ctx, result.principal, result.session);
}

export function sessionContext(request: FastifyRequest) {
  const userAgent = request.headers["user-agent"];
  return { ip: request.ip ?? null, userAgent: typeof userAgent === "string" ? userAgent.slice(0, 512) : null };
}

/** Audit trail of a sign-in: the new session, the one it replaced, and any evicted past the session limit. */
export async function recordSignIn(
  ctx: AppContext,
  request: FastifyRequest,
  realm: RealmPolicy,
  result: {
    session: SessionRecord;
    principal: Principal;
    replacedSessionId: string | null;
    evictedSessionIds: string[];
  },
  type: SecurityEventType,
): Promise<void> {
  const base = { realm: realm.name, principalId: result.principal.id };
  await recordEvent(ctx, request, { ...base, type, sessionId: result.session.id });
  if (result.replacedSessionId) {
    await recordEvent(ctx, request, {
      ...base,
      type: "logout",
      sessionId: result.replacedSessionId,
      details: { reason: "replaced_by_login" },
    });
  }
  for (const evicted of result.evictedSessionIds) {
    await recordEvent(ctx, request, {
      ...base,
      type: "session_evicted",
      sessionId: evicted,
      details: { reason: "session_limit" },
    });
  }
}
