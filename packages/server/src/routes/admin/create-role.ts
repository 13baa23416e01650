import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { type AdminDeps, adminActor, adminMeta } from "./admin-support.ts";
import { permissionList, roleDescription, roleName, roleResponse, toRoleResponse } from "./role-support.ts";

/** POST /api/admin/roles: a custom role granting permissions from the catalog. Sensitive (step-up). */
export function registerCreateRole(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/admin/roles",
    config: adminMeta(deps.realm, "roles.manage", { stepUp: true }),
    schema: {
      tags: ["admin"],
      summary: "Create a role",
      operationId: "adminCreateRole",
      body: z.strictObject({ name: roleName, description: roleDescription.optional(), permissions: permissionList }),
      response: { 201: roleResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const role = await ctx.useCases.roles.createRole(adminActor(request), request.body, requestMeta(request));
      return reply.status(201).send(toRoleResponse(role));
    },
  });
}
