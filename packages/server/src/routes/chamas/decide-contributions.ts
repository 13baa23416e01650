import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { contributionDecision } from "./schemas.ts";
import { type ChamaRouteDeps, caller, chamaParams, memberMeta } from "./support.ts";

/** POST /api/chamas/{id}/contributions/decisions: approves or rejects pending ones, all or none. */
export function registerDecideContributions(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/chamas/:id/contributions/decisions",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Approve or reject contributions",
      operationId: "decideChamaContributions",
      params: chamaParams,
      body: z.strictObject({ ids: z.array(z.uuid()).min(1).max(500), decision: z.enum(["approve", "reject"]) }),
      response: { 200: contributionDecision, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request) =>
      ctx.useCases.chamaHub.contributions.decide(
        caller(request),
        requestMeta(request),
        request.params.id,
        request.body,
      ),
  });
}
