import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { pageOf, pageQuery } from "../../http/pagination.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { contributionPage } from "./schemas.ts";
import { type ChamaRouteDeps, caller, chamaParams, isoDate, memberMeta } from "./support.ts";

/** GET /api/chamas/{id}/contributions: filtered by status, member and dates, newest first (4 queries). */
export function registerListContributions(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/chamas/:id/contributions",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Contributions of a chama",
      operationId: "listChamaContributions",
      params: chamaParams,
      querystring: z.strictObject({
        status: z.enum(["pending", "approved", "rejected"]).optional(),
        memberId: z.uuid().optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        ...pageQuery,
      }),
      response: { 200: contributionPage, 404: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const { page, pageSize, ...filter } = request.query;
      const { count, results } = await ctx.useCases.chamaHub.contributions.list(
        caller(request),
        request.params.id,
        filter,
        { page, pageSize },
      );
      return pageOf(count, { page, pageSize }, results);
    },
  });
}
