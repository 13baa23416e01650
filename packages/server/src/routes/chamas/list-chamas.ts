import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { pageOf, pageQuery } from "../../http/pagination.ts";
import { commonErrors } from "../../http/schemas.ts";
import { chamaPage } from "./schemas.ts";
import { type ChamaRouteDeps, caller, memberMeta } from "./support.ts";

/** GET /api/chamas: the caller's chamas, searched by name or description, paginated (2 queries). */
export function registerListChamas(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/chamas",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Your chamas",
      operationId: "listChamas",
      querystring: z.strictObject({ search: z.string().trim().min(1).max(100).optional(), ...pageQuery }),
      response: { 200: chamaPage, ...commonErrors },
    },
    handler: async (request) => {
      const { search, ...page } = request.query;
      const { count, results } = await ctx.useCases.chamaHub.chamas.listMine(caller(request), { search }, page);
      return pageOf(count, page, results);
    },
  });
}
