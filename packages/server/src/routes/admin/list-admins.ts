import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { pageOf, pageQuery, paginated } from "../../http/pagination.ts";
import { commonErrors } from "../../http/schemas.ts";
import { type AdminDeps, adminMeta, toAdminPrincipal } from "./admin-support.ts";
import { adminAccount, toRoleResponse } from "./role-support.ts";

const adminPage = paginated(adminAccount, "AdminAccountPage");

/** GET /api/admin/admins: admin accounts with their roles and second-factor status, paginated. */
export function registerListAdmins(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/admin/admins",
    config: adminMeta(deps.realm, "admins.manage"),
    schema: {
      tags: ["admin"],
      summary: "Admin accounts and their roles",
      operationId: "adminListAdmins",
      querystring: z.strictObject({ q: z.string().trim().min(1).max(200).optional(), ...pageQuery }),
      response: { 200: adminPage, ...commonErrors },
    },
    handler: async (request) => {
      const { q, ...page } = request.query;
      const { count, results } = await ctx.useCases.roles.listAdmins({ search: q }, page);
      return pageOf(
        count,
        page,
        results.map(({ principal, roles, secondFactor }) => ({
          ...toAdminPrincipal(principal),
          roles: roles.map(toRoleResponse),
          secondFactor,
        })),
      );
    },
  });
}
