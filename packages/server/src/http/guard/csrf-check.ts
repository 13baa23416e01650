import { type CsrfTokens, GatehouseError } from "@gatehouse/core";
import { isUnsafeRequest } from "../unsafe-request.ts";
import type { GuardHook } from "./guard-hook.ts";

/**
 * Unsafe methods on a request that carries a session need that session's CSRF token in
 * `x-csrf-token`. Requests without a session have nothing to forge; sessionless routes never get one.
 * Forward-auth routes judge the proxied request's method (`X-Forwarded-Method`) and its token.
 */
export function checkCsrf(csrf: CsrfTokens): GuardHook {
  return (request) => {
    if (!request.auth || !isUnsafeRequest(request)) return;
    const presented = request.headers["x-csrf-token"];
    if (!csrf.verify(request.auth.session, typeof presented === "string" ? presented : undefined)) {
      throw new GatehouseError("csrf_token_invalid");
    }
  };
}
