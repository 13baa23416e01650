import type { CsrfTokens, PermissionResolver } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import { checkCsrf } from "./csrf-check.ts";
import type { GuardHook } from "./guard-hook.ts";
import { checkPermission, refuseUncheckablePermission } from "./permission-check.ts";
import { resolveSession, type SessionResolutionDeps } from "./session-resolution.ts";
import { refuseTokenInUrl } from "./token-in-url.ts";

export interface GuardDeps extends SessionResolutionDeps {
  csrf: CsrfTokens;
  permissions: PermissionResolver;
  /** Every realm's session cookie name: none of them may appear in a URL. */
  cookieNames: readonly string[];
}

/**
 * The session guard: enforces each route's `config.gatehouse` (route-meta.ts) before the body is
 * parsed, as single-purpose `onRequest` hooks run in this order. A later step (step-up, a second
 * factor) is one more entry in the list, after the session is known and before the permission.
 */
export function registerGuard(app: FastifyInstance, deps: GuardDeps): void {
  app.decorateRequest("auth", null);
  app.addHook("onRoute", refuseUncheckablePermission);
  const steps: GuardHook[] = [
    refuseTokenInUrl(deps.cookieNames),
    resolveSession(deps),
    checkCsrf(deps.csrf),
    checkPermission(deps.permissions),
  ];
  // One Fastify hook for the whole chain, awaiting only the steps that return a promise: each hook
  // Fastify runs costs a promise and a tick, a measurable share of a cached session check.
  app.addHook("onRequest", async (request, reply) => {
    for (const step of steps) {
      const pending = step(request, reply);
      if (pending) await pending;
    }
  });
}
