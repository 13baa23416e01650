import { GatehouseError } from "@gatehouse/core";
import type { FastifyRequest } from "fastify";
import type { GuardHook } from "./guard-hook.ts";

/** How recent a proof of identity a sensitive action needs (SPEC §5). */
export const stepUpWindowSeconds = 5 * 60;

/**
 * Routes with `config.gatehouse.stepUp` (role and permission changes, creating or disabling admins,
 * revoking another principal's sessions, disabling 2FA, exporting the audit log) need the session's
 * last proof of identity — sign-in or `POST /api/{realm}/auth/reauthenticate` — within the last five
 * minutes; otherwise 403 `step_up_required` (audited as `step_up_refused`). Runs after the permission
 * check: nobody is asked to re-authenticate for something they may not do anyway.
 */
export function checkStepUp(deps: {
  now: () => Date;
  onRefused?: ((request: FastifyRequest) => Promise<void>) | undefined;
}): GuardHook {
  return async (request) => {
    if (!request.routeOptions.config.gatehouse?.stepUp || !request.auth) return;
    const ageMs = deps.now().getTime() - request.auth.session.authenticatedAt.getTime();
    if (ageMs <= stepUpWindowSeconds * 1000) return;
    await deps.onRefused?.(request);
    throw new GatehouseError("step_up_required", { details: { withinSeconds: stepUpWindowSeconds } });
  };
}
