import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../../http/context.ts";
import { registerActiveSessions } from "./active-sessions.ts";
import type { AdminDeps } from "./admin-support.ts";
import { registerAudit } from "./audit.ts";
import { registerAuditCsv } from "./audit-csv.ts";
import { registerCreateAdmin } from "./create-admin.ts";
import { registerCreateRole } from "./create-role.ts";
import { registerDeleteRole } from "./delete-role.ts";
import { registerDisableAdmin } from "./disable-admin.ts";
import { registerDisablePrincipal } from "./disable-principal.ts";
import { registerEnablePrincipal } from "./enable-principal.ts";
import { registerGrantRole } from "./grant-role.ts";
import { registerListAdmins } from "./list-admins.ts";
import { registerListPrincipals } from "./list-principals.ts";
import { registerListRoles } from "./list-roles.ts";
import { registerOverview } from "./overview.ts";
import { registerPrincipalSessions } from "./principal-sessions.ts";
import { registerRemoveRole } from "./remove-role.ts";
import { registerRevokePrincipalSession } from "./revoke-principal-session.ts";
import { registerRevokePrincipalSessions } from "./revoke-principal-sessions.ts";
import { registerUpdateRole } from "./update-role.ts";

/**
 * The admin API under /api/admin/. Every route needs an admin-realm session, the CSRF token on
 * unsafe methods, and the permission it declares (see adminMeta); sensitive ones a recent re-authentication.
 */
export function registerAdminApi(app: FastifyInstance, ctx: RouteContext): void {
  // The admin API's paths are realm-neutral (/api/admin/…); the realm that offers it is data.
  const [realm, ...more] = ctx.realms.adminRealms();
  if (!realm) return;
  if (more.length > 0) throw new Error("Only one realm may offer the admin API (its paths are shared)");
  const deps: AdminDeps = { realm };
  for (const register of [
    registerListPrincipals,
    registerPrincipalSessions,
    registerRevokePrincipalSession,
    registerRevokePrincipalSessions,
    registerDisablePrincipal,
    registerEnablePrincipal,
    registerActiveSessions,
    registerAudit,
    registerAuditCsv,
    registerListRoles,
    registerCreateRole,
    registerUpdateRole,
    registerDeleteRole,
    registerListAdmins,
    registerCreateAdmin,
    registerGrantRole,
    registerRemoveRole,
    registerDisableAdmin,
    registerOverview,
  ]) {
    register(app, ctx, deps);
  }
}
