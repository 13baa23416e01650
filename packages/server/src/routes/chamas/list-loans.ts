import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { pageOf, pageQuery } from "../../http/pagination.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { loanPage } from "./schemas.ts";
import { type ChamaRouteDeps, caller, chamaParams, memberMeta } from "./support.ts";

/** GET /api/chamas/{id}/loans: newest first, optionally by status (4 queries). */
export function registerListLoans(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/chamas/:id/loans",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Loans of a chama",
      operationId: "listChamaLoans",
      params: chamaParams,
      querystring: z.strictObject({
        status: z.enum(["requested", "approved", "rejected", "disbursed", "repaid"]).optional(),
        ...pageQuery,
      }),
      response: { 200: loanPage, 404: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const { status, ...page } = request.query;
      const { count, results } = await ctx.useCases.chamaHub.loans.list(
        caller(request),
        request.params.id,
        { status },
        page,
      );
      return pageOf(count, page, results);
    },
  });
}
