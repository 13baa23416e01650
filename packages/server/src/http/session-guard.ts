import {
  type CsrfTokens,
  GatehouseError,
  maxTokenLength,
  type PermissionResolver,
  type SessionService,
  tokenPattern,
} from "@gatehouse/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { CookiePolicy } from "../config.ts";
import { clearSessionCookie, sessionCookieName } from "./cookies.ts";
import type { RouteMeta } from "./route-meta.ts";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Reads each route's `config.gatehouse` and enforces it before the body is parsed: the realm's cookie
 * (and only that realm's) is validated, required sessions are demanded, unsafe methods need the
 * session's CSRF token. Sessionless routes never look at a cookie.
 */
export function registerSessionGuard(
  app: FastifyInstance,
  deps: {
    sessions: SessionService;
    csrf: CsrfTokens;
    cookies: CookiePolicy;
    cookieNames: readonly string[];
    permissions: PermissionResolver;
    /** Told about each token that is not a session (unknown or malformed); may throw to refuse (abuse throttle). */
    onInvalidToken?: (request: FastifyRequest) => Promise<void>;
  },
): void {
  app.decorateRequest("auth", null);
  // A permission on a route that reads no session would never be checked: refuse it at boot.
  app.addHook("onRoute", (route) => {
    const meta = route.config?.gatehouse;
    if (meta?.permission && (!meta.realm || meta.auth === "none")) {
      throw new Error(`${route.method} ${route.url} declares a permission but reads no session`);
    }
  });

  app.addHook("onRequest", async (request, reply) => {
    rejectTokensInUrl(request, deps.cookieNames);
    const meta = request.routeOptions.config.gatehouse;
    if (!meta?.realm || meta.auth === "none") return;

    const realm = meta.realm;
    const token = request.cookies[sessionCookieName(realm, deps.cookies)];
    const passive = meta.passiveCheck === true && (request.query as Record<string, unknown>)?.passive === "true";
    const result = await deps.sessions.validate(realm.name, token, { passive });
    if (result.ok && token) {
      request.auth = { realm, session: result.session, token };
    } else if (token !== undefined) {
      // A cookie that no longer works is cleared, in its own realm only.
      clearSessionCookie(reply, realm, deps.cookies);
      if (!result.ok && (result.reason === "unknown" || result.reason === "malformed")) {
        await deps.onInvalidToken?.(request);
      }
    }

    if (!request.auth) {
      if (meta.auth === "required" || meta.permission) {
        const expired = !result.ok && (result.reason === "idle_timeout" || result.reason === "absolute_timeout");
        throw new GatehouseError(expired ? "session_expired" : "not_authenticated", {
          details: expired && !result.ok ? { reason: result.reason } : undefined,
        });
      }
      return;
    }
    if (unsafeMethods.has(request.method)) {
      const presented = request.headers["x-csrf-token"];
      if (!deps.csrf.verify(request.auth.session, typeof presented === "string" ? presented : undefined)) {
        throw new GatehouseError("csrf_token_invalid");
      }
    }
    if (meta.permission) await requirePermission(deps.permissions, request.auth, meta.permission);
  });
}

/** Tokens are read from the realm's cookie only; one in the URL is refused outright (it would leak). */
function rejectTokensInUrl(request: FastifyRequest, cookieNames: readonly string[]): void {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query) return;
  const looksLikeToken = (v: unknown) =>
    typeof v === "string" && v.length <= maxTokenLength * 2 && tokenPattern.test(v.trim());
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    // The key too: `?<token>` puts the token in the URL just as well as `?token=<token>`.
    if (cookieNames.includes(key) || looksLikeToken(key) || values.some(looksLikeToken)) {
      throw new GatehouseError("token_in_url");
    }
  }
}

/** The one place a route's declared permission is enforced; a role system changes the resolver, not this. */
async function requirePermission(
  resolver: PermissionResolver,
  auth: NonNullable<FastifyRequest["auth"]>,
  permission: NonNullable<RouteMeta["permission"]>,
): Promise<void> {
  const granted = await resolver.permissionsOf({ realm: auth.session.realm, principalId: auth.session.principalId });
  if (!granted.has(permission)) throw new GatehouseError("permission_denied", { details: { permission } });
}
