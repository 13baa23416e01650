import {
  type AccountService,
  GatehouseError,
  hashSessionId,
  type Principal,
  type SessionRecord,
} from "@gatehouse/core";

export interface ForwardAuthDeps {
  accounts: AccountService;
}

/** Who is behind a request a reverse proxy (or @gatehouse/node) asks about: docs/forward-auth.md. */
export interface ForwardedIdentity {
  principal: Principal;
  session: SessionRecord;
  /** The session's reference as the audit log records it: another app can log it, never the token. */
  sessionIdHash: string;
}

/** Forward auth: another app's request, judged by the session guard, answered with the principal. */
export function forwardAuthUseCases(deps: ForwardAuthDeps) {
  return {
    /**
     * The identity behind a session the guard has validated (from its realm's cookie only, activity
     * counted unless passive, CSRF checked for unsafe forwarded methods). A disabled or deleted
     * account keeps no session: that one ends here, and the answer is `not_authenticated`.
     */
    async identifyForwardedRequest(session: SessionRecord): Promise<ForwardedIdentity> {
      const principal = await deps.accounts.principalOfLiveSession(session);
      if (!principal) throw new GatehouseError("not_authenticated");
      return { principal, session, sessionIdHash: hashSessionId(session.id) };
    },
  };
}
