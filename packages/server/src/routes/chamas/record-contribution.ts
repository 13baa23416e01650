import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { recordedContribution } from "./schemas.ts";
import { amountInput, type ChamaRouteDeps, caller, chamaParams, isoDate, memberMeta } from "./support.ts";

/** POST /api/chamas/{id}/contributions: records a pending contribution (one's own; officers: anyone's). */
export function registerRecordContribution(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/chamas/:id/contributions",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Record a contribution",
      operationId: "recordChamaContribution",
      params: chamaParams,
      body: z.strictObject({ amount: amountInput, date: isoDate, memberId: z.uuid().optional() }),
      response: { 201: recordedContribution, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const recorded = await ctx.useCases.chamaHub.contributions.record(
        caller(request),
        requestMeta(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send(recorded);
    },
  });
}
