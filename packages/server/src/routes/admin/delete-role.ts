import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { type AdminDeps, adminActor, adminMeta } from "./admin-support.ts";
import { roleIdParam } from "./role-support.ts";

/** DELETE /api/admin/roles/{id}: a custom role nobody holds (409 `role_in_use` otherwise). */
export function registerDeleteRole(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "DELETE",
    url: "/api/admin/roles/:id",
    config: adminMeta(deps.realm, "roles.manage", { stepUp: true }),
    schema: {
      tags: ["admin"],
      summary: "Delete an unused custom role",
      operationId: "adminDeleteRole",
      params: roleIdParam,
      response: { 204: z.null().describe("Deleted"), 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      await ctx.useCases.roles.deleteRole(adminActor(request), request.params.id, requestMeta(request));
      return reply.status(204).send(null);
    },
  });
}
