import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { type AdminDeps, adminActor, adminMeta, principalIdParam } from "./admin-support.ts";
import { roleResponse, toRoleResponse } from "./role-support.ts";

/**
 * POST /api/admin/admins/{id}/roles: grants a role. Before this answers, the admin's permission set is
 * dropped on every node and their sessions are flagged for a new token. Granting a held role is a no-op.
 */
export function registerGrantRole(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/admin/admins/:id/roles",
    config: adminMeta(deps.realm, "admins.manage", { stepUp: true }),
    schema: {
      tags: ["admin"],
      summary: "Grant a role to an admin",
      operationId: "adminGrantRole",
      params: principalIdParam,
      body: z.strictObject({ roleId: z.uuid() }),
      response: { 200: roleResponse, 404: errorResponse, ...commonErrors },
    },
    handler: async (request) =>
      toRoleResponse(
        await ctx.useCases.roles.grantRole(
          adminActor(request),
          request.params.id,
          request.body.roleId,
          requestMeta(request),
        ),
      ),
  });
}
