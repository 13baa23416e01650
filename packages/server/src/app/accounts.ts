import type { AuthService, Principal } from "@gatehouse/core";
import type { AuditRecorder } from "./audit-recorder.ts";
import type { RequestMeta } from "./request-meta.ts";

export interface AccountDeps {
  auth: AuthService;
  audit: AuditRecorder;
  /** Runs after an account is created and audited (the first admin becomes owner). */
  onCreated?: (principal: Principal, actor: string, meta: RequestMeta) => Promise<unknown>;
}

/** Accounts created by an operator (the CLI's `admin create` / `user create`), audited like everything else. */
export function accountUseCases(deps: AccountDeps) {
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
  };
}

export type AccountUseCases = ReturnType<typeof accountUseCases>;
