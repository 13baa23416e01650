import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { pageOf, pageQuery } from "../../http/pagination.ts";
import { commonErrors } from "../../http/schemas.ts";
import { chamaPage } from "../chamas/schemas.ts";
import { type AdminDeps, adminMeta } from "./admin-support.ts";

/** GET /api/admin/chamas: every chama, searched and paginated (chamas.read). */
export function registerAdminListChamas(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/admin/chamas",
    config: adminMeta(deps.realm, "chamas.read"),
    schema: {
      tags: ["admin"],
      summary: "List and search all chamas",
      operationId: "adminListChamas",
      querystring: z.strictObject({
        search: z.string().trim().min(1).max(100).optional(),
        active: z.enum(["true", "false"]).optional(),
        ...pageQuery,
      }),
      response: { 200: chamaPage, ...commonErrors },
    },
    handler: async (request) => {
      const { search, active, ...page } = request.query;
      const { count, results } = await ctx.useCases.chamaHub.admin.list(
        { search, active: active === undefined ? undefined : active === "true" },
        page,
      );
      return pageOf(count, page, results);
    },
  });
}
