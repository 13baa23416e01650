import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { loan } from "./schemas.ts";
import { amountInput, type ChamaRouteDeps, caller, chamaParams, memberMeta } from "./support.ts";

/** POST /api/chamas/{id}/loans: a member asks for a loan at the chama's current rate. */
export function registerRequestLoan(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/chamas/:id/loans",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Request a loan",
      operationId: "requestChamaLoan",
      params: chamaParams,
      body: z.strictObject({
        amount: amountInput,
        termMonths: z.number().int().min(1).max(60),
        purpose: z.string().max(500).optional(),
      }),
      response: { 201: loan, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const requested = await ctx.useCases.chamaHub.loans.request(
        caller(request),
        requestMeta(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send(requested);
    },
  });
}
