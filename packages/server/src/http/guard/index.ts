import type { CsrfTokens, PermissionResolver } from "@gatehouse/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { checkCsrf } from "./csrf-check.ts";
import type { GuardHook } from "./guard-hook.ts";
import { checkPermission, refuseUncheckablePermission } from "./permission-check.ts";
import { rotateFlaggedSession } from "./rotation.ts";
import { resolveSession, type SessionResolutionDeps } from "./session-resolution.ts";
import { checkStage } from "./stage-check.ts";
import { checkStepUp } from "./step-up.ts";
import { refuseTokenInUrl } from "./token-in-url.ts";

export interface GuardDeps extends SessionResolutionDeps {
  csrf: CsrfTokens;
  permissions: PermissionResolver;
  /** Every realm's session cookie name: none of them may appear in a URL. */
  cookieNames: readonly string[];
  /** The clock (step-up, cookie lifetimes); the system clock when absent. */
  now?: () => Date;
  /** Audits a rotation after a privilege change. */
  onRotated?: (request: FastifyRequest, oldId: string, newId: string) => Promise<void>;
  /** Audits a sensitive action refused for want of a recent re-authentication. */
  onStepUpRefused?: (request: FastifyRequest) => Promise<void>;
}

/**
 * The session guard: enforces each route's `config.gatehouse` (route-meta.ts) before the body is
 * parsed, as single-purpose `onRequest` hooks run in this order: no token in the URL, the session,
 * its sign-in stage (second factor, enrolment), CSRF, the token rotation a privilege change asked for,
 * the permission, step-up.
 */
export function registerGuard(app: FastifyInstance, deps: GuardDeps): void {
  const now = deps.now ?? (() => new Date());
  app.decorateRequest("auth", null);
  app.addHook("onRoute", refuseUncheckablePermission);
  const steps: GuardHook[] = [
    refuseTokenInUrl(deps.cookieNames),
    resolveSession(deps),
    checkStage(),
    checkCsrf(deps.csrf),
    rotateFlaggedSession({ ...deps, now }),
    checkPermission(deps.permissions),
    checkStepUp({ now, onRefused: deps.onStepUpRefused }),
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
