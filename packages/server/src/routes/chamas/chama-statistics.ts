import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { chamaStatistics } from "./schemas.ts";
import { type ChamaRouteDeps, caller, chamaParams, memberMeta } from "./support.ts";

/** GET /api/chamas/{id}/statistics: members, contributions, average, loans outstanding. */
export function registerChamaStatistics(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/chamas/:id/statistics",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "A chama's statistics",
      operationId: "getChamaStatistics",
      params: chamaParams,
      response: { 200: chamaStatistics, 404: errorResponse, ...commonErrors },
    },
    handler: async (request) => ctx.useCases.chamaHub.chamas.statistics(caller(request), request.params.id),
  });
}
