import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { type AdminDeps, adminActor, adminMeta } from "./admin-support.ts";

/**
 * DELETE /api/admin/admins/{id}/roles/{roleId}: removes a role from an admin; refused when it would
 * leave no enabled owner. The permission set is dropped on every node before this answers.
 */
export function registerRemoveRole(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "DELETE",
    url: "/api/admin/admins/:id/roles/:roleId",
    config: adminMeta(deps.realm, "admins.manage", { stepUp: true }),
    schema: {
      tags: ["admin"],
      summary: "Remove a role from an admin",
      operationId: "adminRemoveRole",
      params: z.strictObject({ id: z.uuid(), roleId: z.uuid() }),
      response: { 204: z.null().describe("Removed"), 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { id, roleId } = request.params;
      await ctx.useCases.roles.removeRole(adminActor(request), id, roleId, requestMeta(request));
      return reply.status(204).send(null);
    },
  });
}
