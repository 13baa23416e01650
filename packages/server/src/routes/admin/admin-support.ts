import type { Permission, Principal, RealmPolicy } from "@gatehouse/core";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { Actor } from "../../app/index.ts";
import type { RouteMeta } from "../../http/route-meta.ts";
import { principalResponse } from "../../http/schemas.ts";

/** What every admin route is registered with. */
export interface AdminDeps {
  /** The realm whose sessions may use the admin API. */
  realm: RealmPolicy;
}

/**
 * The route meta of an admin route. `permission` is required here, so an admin route cannot be
 * defined without declaring what it needs; the session guard enforces it (and CSRF on unsafe methods).
 * `stepUp` marks a sensitive action: it needs a re-authentication within the last 5 minutes.
 */
export function adminMeta(
  realm: RealmPolicy,
  permission: Permission,
  options: { stepUp?: boolean } = {},
): { gatehouse: RouteMeta } {
  return { gatehouse: { realm, auth: "required", permission, ...(options.stepUp ? { stepUp: true } : {}) } };
}

/** The public principal plus what only admins see. */
export const adminPrincipal = principalResponse
  .extend({ disabledAt: z.iso.datetime().nullable() })
  .meta({ id: "AdminPrincipal" });

/** The admin console's view of an account: never the password hash. */
export function toAdminPrincipal(p: Principal): z.infer<typeof adminPrincipal> {
  return {
    id: p.id,
    realm: p.realm,
    email: p.email,
    displayName: p.displayName,
    createdAt: p.createdAt.toISOString(),
    disabledAt: p.disabledAt?.toISOString() ?? null,
  };
}

export const principalIdParam = z.strictObject({ id: z.uuid() });

/** The admin making the request (the guard has verified the session and the permission). */
export function adminActor(request: FastifyRequest): Actor {
  const { session } = request.auth as NonNullable<FastifyRequest["auth"]>;
  return { realm: session.realm, principalId: session.principalId, sessionId: session.id };
}
