import type { CsrfTokens, SessionService } from "@gatehouse/core";
import type { CookiePolicy } from "../../config.ts";
import { setSessionCookie } from "../cookies.ts";
import type { GuardHook } from "./guard-hook.ts";

/** The header that carries the new CSRF token when the guard rotated the session during a request. */
export const rotatedCsrfHeader = "x-csrf-token";

/**
 * A session flagged after a privilege change (role granted, removed or edited) gets a new token on its
 * next request (SPEC §2): the old one stops working, the new one is set in the realm's cookie, and the
 * new CSRF token is sent in `X-CSRF-Token`. Runs after the CSRF check (which used the old session), so
 * the request itself goes through. A concurrent request that already rotated it leaves this one as is.
 */
export function rotateFlaggedSession(deps: {
  sessions: SessionService;
  csrf: CsrfTokens;
  cookies: CookiePolicy;
  now: () => Date;
  onRotated?: ((request: Parameters<GuardHook>[0], oldId: string, newId: string) => Promise<void>) | undefined;
}): GuardHook {
  return async (request, reply) => {
    const auth = request.auth;
    if (!auth?.session.rotationDue) return;
    const rotated = await deps.sessions.rotate(auth.session);
    if (!rotated) return;
    setSessionCookie(reply, auth.realm, deps.cookies, rotated.token, rotated.session, deps.now());
    reply.header(rotatedCsrfHeader, deps.csrf.tokenFor(rotated.session));
    request.auth = { realm: auth.realm, session: rotated.session, token: rotated.token };
    await deps.onRotated?.(request, auth.session.id, rotated.session.id);
  };
}
