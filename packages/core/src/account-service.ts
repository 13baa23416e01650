import { GatehouseError } from "./errors.ts";
import type { Clock } from "./ports.ts";
import type { Principal, PrincipalStore } from "./principals.ts";
import type { RealmRegistry } from "./realms.ts";
import type { SessionService } from "./session-service.ts";
import type { SessionRecord } from "./session-store.ts";

/**
 * Account state and what follows from it — "a disabled account keeps no session" lives here and
 * nowhere else. Disable marks the account first, then ends its sessions: a sign-in racing it either
 * sees the mark (AuthService.startSession re-reads it after inserting) or is seen by the revocation.
 */
export class AccountService {
  constructor(
    private readonly deps: {
      principals: PrincipalStore;
      sessions: SessionService;
      realms: RealmRegistry;
      clock: Clock;
    },
  ) {}

  /** A principal of any realm by id (ids are unique across realms), or null. */
  async findInAnyRealm(id: string): Promise<Principal | null> {
    for (const realm of this.deps.realms.names) {
      const found = await this.deps.principals.findById(realm, id);
      if (found) return found;
    }
    return null;
  }

  /** Disables the account (keeping an earlier disable time) and ends every session it has in its realm. */
  async disable(principal: Principal): Promise<{ principal: Principal; endedSessionIds: string[] }> {
    const updated = await this.deps.principals.setDisabledAt(
      principal.realm,
      principal.id,
      principal.disabledAt ?? this.deps.clock.now(),
    );
    if (!updated) throw new GatehouseError("not_found");
    const endedSessionIds = await this.deps.sessions.revokeAllForPrincipal(principal.realm, principal.id);
    return { principal: updated, endedSessionIds };
  }

  async enable(principal: Principal): Promise<Principal> {
    const updated = await this.deps.principals.setDisabledAt(principal.realm, principal.id, null);
    if (!updated) throw new GatehouseError("not_found");
    return updated;
  }

  /**
   * The principal behind a validated session, or null — and then the session is ended: an account that
   * was deleted or disabled keeps no session, even one whose revocation was missed.
   */
  async principalOfLiveSession(session: SessionRecord): Promise<Principal | null> {
    const principal = await this.deps.principals.findById(session.realm, session.principalId);
    if (principal && !principal.disabledAt) return principal;
    await this.deps.sessions.revoke(session.id);
    return null;
  }
}
