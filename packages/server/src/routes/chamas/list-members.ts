import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { pageOf, pageQuery } from "../../http/pagination.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { memberPage } from "./schemas.ts";
import { type ChamaRouteDeps, caller, chamaParams, memberMeta } from "./support.ts";

/** GET /api/chamas/{id}/members: active members, paginated (4 queries whatever the page size). */
export function registerListMembers(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/chamas/:id/members",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Members of a chama",
      operationId: "listChamaMembers",
      params: chamaParams,
      querystring: z.strictObject(pageQuery),
      response: { 200: memberPage, 404: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const page = request.query;
      const { count, results } = await ctx.useCases.chamaHub.members.list(caller(request), request.params.id, page);
      return pageOf(count, page, results);
    },
  });
}
