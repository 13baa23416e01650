import { type CsrfTokens, GatehouseError } from "@gatehouse/core";
import type { GuardHook } from "./guard-hook.ts";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Unsafe methods on a request that carries a session need that session's CSRF token in
 * `x-csrf-token`. Requests without a session have nothing to forge; sessionless routes never get one.
 */
export function checkCsrf(csrf: CsrfTokens): GuardHook {
  return (request) => {
    if (!request.auth || !unsafeMethods.has(request.method)) return;
    const presented = request.headers["x-csrf-token"];
    if (!csrf.verify(request.auth.session, typeof presented === "string" ? presented : undefined)) {
      throw new GatehouseError("csrf_token_invalid");
    }
  };
}
