import { GatehouseError, type SessionService } from "@gatehouse/core";
import type { FastifyRequest } from "fastify";
import type { CookiePolicy } from "../../config.ts";
import { clearSessionCookie, sessionCookieName } from "../cookies.ts";
import type { GuardHook } from "./guard-hook.ts";

export interface SessionResolutionDeps {
  sessions: SessionService;
  cookies: CookiePolicy;
  /** Told about each token that is not a session (unknown or malformed); may throw to refuse (abuse throttle). */
  onInvalidToken?: ((request: FastifyRequest) => Promise<void>) | undefined;
  /** Told the outcome of each validation (`valid`, a refusal reason, or `unavailable`), for metrics. */
  onValidation?: ((realm: string, outcome: string) => void) | undefined;
}

/**
 * A background status check, which does not count as activity: `?passive=true`, or the header
 * `X-Gatehouse-Passive: true` (which a proxied app's page can send through a forward-auth proxy).
 */
function isPassiveCheck(request: FastifyRequest): boolean {
  return (
    (request.query as Record<string, unknown> | undefined)?.passive === "true" ||
    request.headers["x-gatehouse-passive"] === "true"
  );
}

/**
 * Sets `request.auth` from the route's realm cookie (and only that realm's): validates it, clears a
 * cookie that no longer works in its own realm, reports invalid tokens, and demands a session where
 * the route requires one or declares a permission. Routes with `auth: "none"` never read a cookie.
 */
export function resolveSession(deps: SessionResolutionDeps): GuardHook {
  return async (request, reply) => {
    const meta = request.routeOptions.config.gatehouse;
    if (!meta?.realm || meta.auth === "none") return;

    const realm = meta.realm;
    const token = request.cookies[sessionCookieName(realm, deps.cookies)];
    const passive = meta.passiveCheck === true && isPassiveCheck(request);
    const result = await deps.sessions.validate(realm.name, token, { passive }).catch((error: unknown) => {
      deps.onValidation?.(realm.name, "unavailable");
      throw error;
    });
    deps.onValidation?.(realm.name, result.ok ? "valid" : result.reason);
    if (result.ok && token) {
      request.auth = { realm, session: result.session, token };
      return;
    }
    if (token !== undefined) {
      // A cookie that no longer works is cleared, in its own realm only.
      clearSessionCookie(reply, realm, deps.cookies);
      if (!result.ok && (result.reason === "unknown" || result.reason === "malformed")) {
        await deps.onInvalidToken?.(request);
      }
    }
    if (meta.auth === "required" || meta.permission) {
      const expired = !result.ok && (result.reason === "idle_timeout" || result.reason === "absolute_timeout");
      throw new GatehouseError(expired ? "session_expired" : "not_authenticated", {
        details: expired && !result.ok ? { reason: result.reason } : undefined,
      });
    }
  };
}
