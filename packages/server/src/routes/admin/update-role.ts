import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { type AdminDeps, adminActor, adminMeta } from "./admin-support.ts";
import { permissionList, roleDescription, roleIdParam, roleResponse, toRoleResponse } from "./role-support.ts";

/**
 * PUT /api/admin/roles/{id}: replaces the permissions a role grants (owner's cannot change). Every holder's
 * permission set is dropped on every node before this answers, and their sessions get a new token.
 */
export function registerUpdateRole(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "PUT",
    url: "/api/admin/roles/:id",
    config: adminMeta(deps.realm, "roles.manage", { stepUp: true }),
    schema: {
      tags: ["admin"],
      summary: "Change a role's permissions",
      operationId: "adminUpdateRole",
      params: roleIdParam,
      body: z.strictObject({ description: roleDescription.optional(), permissions: permissionList }),
      response: { 200: roleResponse, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request) =>
      toRoleResponse(
        await ctx.useCases.roles.updateRole(adminActor(request), request.params.id, request.body, requestMeta(request)),
      ),
  });
}
