import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse, revokedSessionsResponse } from "../../http/schemas.ts";
import {
  type AdminDeps,
  adminActor,
  adminMeta,
  adminPrincipal,
  principalIdParam,
  toAdminPrincipal,
} from "./admin-support.ts";

const disabledPrincipal = revokedSessionsResponse
  .extend({ principal: adminPrincipal })
  .meta({ id: "AdminPrincipalDisabled" });

/**
 * POST /api/admin/principals/{id}/disable: the account can no longer sign in, and every one of its
 * sessions ends at once. An admin cannot disable their own account (no locking oneself out).
 */
export function registerDisablePrincipal(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/admin/principals/:id/disable",
    config: adminMeta(deps.realm, "principals.manage", { stepUp: true }),
    schema: {
      tags: ["admin"],
      summary: "Disable an account and end all its sessions",
      operationId: "adminDisablePrincipal",
      params: principalIdParam,
      response: {
        200: disabledPrincipal,
        404: errorResponse,
        409: errorResponse,
        ...commonErrors,
      },
    },
    handler: async (request) => {
      const done = await ctx.useCases.admin.disableAccount(
        adminActor(request),
        request.params.id,
        requestMeta(request),
      );
      return { principal: toAdminPrincipal(done.principal), revokedSessions: done.revokedSessions };
    },
  });
}
