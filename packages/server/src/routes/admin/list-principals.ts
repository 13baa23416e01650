import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { pageOf, pageQuery, paginated } from "../../http/pagination.ts";
import { commonErrors } from "../../http/schemas.ts";
import { type AdminDeps, adminMeta, adminPrincipal, toAdminPrincipal } from "./admin-support.ts";

const principalPage = paginated(adminPrincipal, "AdminPrincipalPage");

/** GET /api/admin/principals: accounts of every realm (or one), searched by email or name, paginated. */
export function registerListPrincipals(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/admin/principals",
    config: adminMeta(deps.realm, "principals.read"),
    schema: {
      tags: ["admin"],
      summary: "List and search principals of all realms",
      operationId: "adminListPrincipals",
      querystring: z.strictObject({
        realm: z.enum(ctx.realms.names as [string, ...string[]]).optional(),
        q: z.string().trim().min(1).max(200).optional(),
        ...pageQuery,
      }),
      response: { 200: principalPage, ...commonErrors },
    },
    handler: async (request) => {
      const { realm, q, ...page } = request.query;
      const { count, results } = await ctx.useCases.admin.listPrincipals({ realm, search: q }, page);
      return pageOf(count, page, results.map(toAdminPrincipal));
    },
  });
}
