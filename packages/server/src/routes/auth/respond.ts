import {
  type Principal,
  type RealmPolicy,
  type SessionRecord,
  toPublicPrincipal,
  toPublicSession,
} from "@gatehouse/core";
import type { FastifyReply, FastifyRequest } from "fastify";
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
