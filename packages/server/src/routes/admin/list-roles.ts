import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors } from "../../http/schemas.ts";
import { type AdminDeps, adminMeta } from "./admin-support.ts";
import { roleResponse, toRoleResponse } from "./role-support.ts";

const roleList = z
  .object({
    roles: z.array(roleResponse.extend({ holders: z.number().int() })),
    permissions: z.array(z.string()).describe("The permission catalog: every name a role may grant"),
  })
  .meta({ id: "AdminRoleList" });

/** GET /api/admin/roles: every role (built-ins first) with how many admins hold it, and the permission catalog. */
export function registerListRoles(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/admin/roles",
    config: adminMeta(deps.realm, "roles.manage"),
    schema: {
      tags: ["admin"],
      summary: "Roles and the permission catalog",
      operationId: "adminListRoles",
      response: { 200: roleList, ...commonErrors },
    },
    handler: async () => {
      const roles = await ctx.useCases.roles.listRoles();
      return {
        roles: roles.map((role) => ({ ...toRoleResponse(role), holders: role.holders })),
        permissions: ctx.useCases.roles.permissionCatalog(),
      };
    },
  });
}
