import { type AccountService, GatehouseError, type SessionRecord, type SessionService } from "@gatehouse/core";
import type { AuditRecorder } from "./audit-recorder.ts";
import { actorName, type RequestMeta } from "./request-meta.ts";

export interface OwnSessionDeps {
  sessions: SessionService;
  accounts: AccountService;
  audit: AuditRecorder;
}

/** A signed-in principal's view of its own sessions, in its own realm only. */
export function ownSessionUseCases(deps: OwnSessionDeps) {
  const { sessions, audit } = deps;
  return {
    /** The principal behind a validated session; a disabled account keeps no session (AccountService). */
    async currentPrincipal(current: SessionRecord) {
      const principal = await deps.accounts.principalOfLiveSession(current);
      if (!principal) throw new GatehouseError("not_authenticated");
      return principal;
    },

    /** Ends the current session (if any). Only this realm's session: other realms are untouched. */
    async signOut(current: SessionRecord | null, meta: RequestMeta): Promise<void> {
      if (!current) return;
      await sessions.revoke(current.id);
      await audit.record(meta, {
        type: "logout",
        realm: current.realm,
        principalId: current.principalId,
        sessionId: current.id,
      });
    },

    listOwnSessions(current: SessionRecord): Promise<SessionRecord[]> {
      return sessions.listForPrincipal(current.realm, current.principalId);
    },

    /**
     * Ends one of the caller's own sessions; any other id is `not_found`, so ids of others cannot be
     * probed. Returns whether it was the current session (then the caller is signed out).
     */
    async revokeOwnSession(
      current: SessionRecord,
      targetId: string,
      meta: RequestMeta,
    ): Promise<{ wasCurrent: boolean }> {
      const target = await sessions.revokeOwn(current, targetId);
      if (!target) throw new GatehouseError("not_found");
      const wasCurrent = target.id === current.id;
      await audit.record(meta, {
        type: "session_revoked",
        realm: current.realm,
        principalId: current.principalId,
        actor: actorName(current),
        sessionId: target.id,
        details: { scope: "one", current: wasCurrent },
      });
      return { wasCurrent };
    },

    /** Ends every other session of the caller in this realm ("sign out other devices"). */
    async revokeOtherSessions(current: SessionRecord, meta: RequestMeta): Promise<{ revokedSessions: number }> {
      const ended = await sessions.revokeAllForPrincipal(current.realm, current.principalId, { exceptId: current.id });
      await audit.revocations(meta, {
        realm: current.realm,
        principalId: current.principalId,
        actor: actorName(current),
        sessionIds: ended,
        details: { scope: "others" },
      });
      return { revokedSessions: ended.length };
    },
  };
}

export type OwnSessionUseCases = ReturnType<typeof ownSessionUseCases>;
