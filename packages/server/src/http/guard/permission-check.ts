import { GatehouseError, type PermissionResolver } from "@gatehouse/core";
import type { RouteOptions } from "fastify";
import type { GuardHook } from "./guard-hook.ts";

/**
 * The one place a route's declared permission is enforced, through the resolver (a role system
 * changes the resolver, not this). Runs after session resolution, which demands a session wherever a
 * permission is declared.
 */
export function checkPermission(resolver: PermissionResolver): GuardHook {
  return (request) => {
    const permission = request.routeOptions.config.gatehouse?.permission;
    if (!permission) return;
    // Unreachable behind session resolution; refused rather than assumed.
    if (!request.auth) throw new GatehouseError("not_authenticated");
    const { realm, principalId } = request.auth.session;
    return resolver.permissionsOf({ realm, principalId }).then((granted) => {
      if (!granted.has(permission)) throw new GatehouseError("permission_denied", { details: { permission } });
    });
  };
}

/** `onRoute`: a permission on a route that reads no session would never be checked, so it is refused at boot. */
export function refuseUncheckablePermission(route: RouteOptions): void {
  const meta = route.config?.gatehouse;
  if (meta?.permission && (!meta.realm || meta.auth === "none")) {
    throw new Error(`${route.method} ${route.url} declares a permission but reads no session`);
  }
}
