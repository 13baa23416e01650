import { GatehouseError, type SessionStage } from "@gatehouse/core";
import type { GuardHook } from "./guard-hook.ts";

/**
 * A session whose sign-in is not finished (second factor due, or enrolment required) reaches only the
 * routes that list its stage in `config.gatehouse.stages` (the code route, enrolment, the session
 * endpoint, logout); every other route, every admin route included, refuses it. Default: `full` only.
 */
export function checkStage(): GuardHook {
  return async (request) => {
    if (!request.auth) return;
    const stage = request.auth.session.stage;
    if (stage === "full") return;
    const allowed: readonly SessionStage[] = request.routeOptions.config.gatehouse?.stages ?? ["full"];
    if (allowed.includes(stage)) return;
    throw new GatehouseError(stage === "second_factor" ? "second_factor_required" : "enrolment_required");
  };
}
