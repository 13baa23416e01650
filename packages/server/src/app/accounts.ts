import {
  type AccountService,
  type AuthService,
  GatehouseError,
  normalizeEmail,
  type PasswordService,
  type Principal,
  type PrincipalStore,
} from "@gatehouse/core";
import type { AuditRecorder } from "./audit-recorder.ts";
import type { RequestMeta } from "./request-meta.ts";

export interface AccountDeps {
  auth: AuthService;
  audit: AuditRecorder;
  principals: PrincipalStore;
  accounts: AccountService;
  passwords: PasswordService;
  /** Runs after an account is created and audited (the first admin becomes owner). */
  onCreated?: (principal: Principal, actor: string, meta: RequestMeta) => Promise<unknown>;
}

/**
 * Account changes made by an operator (the CLI's `create`, `disable`, `set-password`), audited like
 * everything else with the operator as `actor`.
 */
export function accountUseCases(deps: AccountDeps) {
  const byEmail = async (realm: string, email: string): Promise<Principal> => {
    const principal = await deps.principals.findByEmail(realm, normalizeEmail(email));
    if (!principal) throw new GatehouseError("not_found");
    return principal;
  };
  const recordEnded = (meta: RequestMeta, principal: Principal, actor: string, ids: string[], reason: string) =>
    deps.audit.revocations(meta, {
      realm: principal.realm,
      principalId: principal.id,
      actor,
      sessionIds: ids,
      details: { reason },
    });

  return {
    async createPrincipal(
      input: { realm: string; email: string; password: string; displayName?: string | null },
      meta: RequestMeta,
      actor: string,
    ): Promise<Principal> {
      const principal = await deps.auth.createPrincipal(input.realm, input);
      await deps.audit.record(meta, {
        type: "principal_created",
        realm: principal.realm,
        principalId: principal.id,
        actor,
        details: { email: principal.email },
      });
      await deps.onCreated?.(principal, actor, meta);
      return principal;
    },

    /** The account can no longer sign in and all its sessions end. `not_found` for an unknown email. */
    async disablePrincipal(input: { realm: string; email: string }, meta: RequestMeta, actor: string) {
      const { principal, endedSessionIds } = await deps.accounts.disable(await byEmail(input.realm, input.email));
      await deps.audit.record(meta, {
        type: "account_disabled",
        realm: principal.realm,
        principalId: principal.id,
        actor,
        details: { revokedSessions: endedSessionIds.length },
      });
      await recordEnded(meta, principal, actor, endedSessionIds, "account_disabled");
      return { principal, revokedSessions: endedSessionIds.length };
    },

    /** Sets a new password (policy applies); every reset link and every session of the account ends. */
    async setPrincipalPassword(
      input: { realm: string; email: string; password: string },
      meta: RequestMeta,
      actor: string,
    ) {
      const principal = await byEmail(input.realm, input.email);
      const { endedSessionIds } = await deps.passwords.setByOperator(principal, input.password);
      await deps.audit.record(meta, {
        type: "password_changed",
        realm: principal.realm,
        principalId: principal.id,
        actor,
        details: { by: "operator", revokedSessions: endedSessionIds.length },
      });
      await recordEnded(meta, principal, actor, endedSessionIds, "password_changed");
      return { principal, revokedSessions: endedSessionIds.length };
    },
  };
}

export type AccountUseCases = ReturnType<typeof accountUseCases>;
