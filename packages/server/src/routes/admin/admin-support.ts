import { GatehouseError, type Permission, type Principal, type RealmPolicy } from "@gatehouse/core";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { recordRevocations } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import type { RouteMeta } from "../../http/route-meta.ts";
import { principalResponse } from "../../http/schemas.ts";
import type { PgAdminQueries } from "../../stores/pg-admin-queries.ts";
import { actorOf } from "../sessions/session-item.ts";

/** What every admin route is registered with. */
export interface AdminDeps {
  /** The realm whose sessions may use the admin API. */
  realm: RealmPolicy;
  queries: PgAdminQueries;
}

/**
 * The route meta of an admin route. `permission` is required here, so an admin route cannot be
 * defined without declaring what it needs; the session guard enforces it (and CSRF on unsafe methods).
 */
export function adminMeta(realm: RealmPolicy, permission: Permission): { gatehouse: RouteMeta } {
  return { gatehouse: { realm, auth: "required", permission } };
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

/** A principal of any realm by id (ids are unique across realms), or 404. */
export async function findPrincipalOr404(ctx: AppContext, id: string): Promise<Principal> {
  for (const realm of ctx.realms.names) {
    const found = await ctx.principals.findById(realm, id);
    if (found) return found;
  }
  throw new GatehouseError("not_found");
}

/** Audits sessions an admin ended: one `session_revoked` per session, the admin as actor. */
export async function recordAdminRevocations(
  ctx: AppContext,
  request: FastifyRequest,
  principal: Principal,
  sessionIds: string[],
  reason: string,
): Promise<void> {
  const { session } = request.auth as NonNullable<FastifyRequest["auth"]>;
  await recordRevocations(ctx, request, {
    realm: principal.realm,
    principalId: principal.id,
    actor: actorOf(session),
    sessionIds,
    details: { reason },
  });
}
