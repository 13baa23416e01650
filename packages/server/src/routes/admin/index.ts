import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../http/context.ts";
import { PgAdminQueries } from "../../stores/pg-admin-queries.ts";
import { registerActiveSessions } from "./active-sessions.ts";
import type { AdminDeps } from "./admin-support.ts";
import { registerAudit } from "./audit.ts";
import { registerAuditCsv } from "./audit-csv.ts";
import { registerDisablePrincipal } from "./disable-principal.ts";
import { registerEnablePrincipal } from "./enable-principal.ts";
import { registerListPrincipals } from "./list-principals.ts";
import { registerPrincipalSessions } from "./principal-sessions.ts";
import { registerRevokePrincipalSession } from "./revoke-principal-session.ts";
import { registerRevokePrincipalSessions } from "./revoke-principal-sessions.ts";

/**
 * The admin API under /api/admin/. Every route needs an admin-realm session, the CSRF token on
 * unsafe methods, and the permission it declares (see adminMeta).
 */
export function registerAdminApi(app: FastifyInstance, ctx: AppContext): void {
  const realm = ctx.realms.find("admin");
  if (!realm) return;
  const deps: AdminDeps = { realm, queries: new PgAdminQueries(ctx.database.db) };
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
  ]) {
    register(app, ctx, deps);
  }
}
