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

const disabledAdmin = revokedSessionsResponse.extend({ principal: adminPrincipal }).meta({ id: "AdminDisabled" });

/**
 * POST /api/admin/admins/{id}/disable: the admin can no longer sign in, every session ends, and the
 * permission set is dropped on every node before this answers. Never oneself, never the last owner.
 */
export function registerDisableAdmin(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/admin/admins/:id/disable",
    config: adminMeta(deps.realm, "admins.manage", { stepUp: true }),
    schema: {
      tags: ["admin"],
      summary: "Disable an admin and end all their sessions",
      operationId: "adminDisableAdmin",
      params: principalIdParam,
      response: { 200: disabledAdmin, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const done = await ctx.useCases.admin.disableAccount(
        adminActor(request),
        request.params.id,
        requestMeta(request),
        {
          admins: "only",
        },
      );
      return { principal: toAdminPrincipal(done.principal), revokedSessions: done.revokedSessions };
    },
  });
}
