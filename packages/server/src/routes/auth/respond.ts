import {
  type Principal,
  type RealmPolicy,
  type SessionRecord,
  toPublicPrincipal,
  toPublicSession,
} from "@gatehouse/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { RouteContext } from "../../http/context.ts";
import { sessionCookieName, setSessionCookie } from "../../http/cookies.ts";

/** Body of every answer that establishes or reports a session: principal, session, CSRF token. */
export function authenticatedBody(ctx: RouteContext, principal: Principal, session: SessionRecord) {
  return {
    principal: toPublicPrincipal(principal),
    session: toPublicSession(session),
    csrfToken: ctx.csrf.tokenFor(session),
  };
}

/** Sets the realm's cookie for a new session and returns the body to send. */
export function signedIn(
  ctx: RouteContext,
  reply: FastifyReply,
  realm: RealmPolicy,
  result: { token: string; session: SessionRecord; principal: Principal },
) {
  setSessionCookie(reply, realm, ctx.config.cookies, result.token, result.session, ctx.clock.now());
  return authenticatedBody(ctx, result.principal, result.session);
}

/** The realm's session token this browser presented, if any (a sign-in ends that session). */
export function presentedToken(ctx: RouteContext, realm: RealmPolicy, request: FastifyRequest): string | undefined {
  return request.cookies[sessionCookieName(realm, ctx.config.cookies)];
}
