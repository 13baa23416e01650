import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { loan } from "./schemas.ts";
import { type ChamaRouteDeps, caller, loanParams, memberMeta } from "./support.ts";

/** POST /api/chamas/{id}/loans/{loanId}/decision: approve or reject a requested loan (officers). */
export function registerDecideLoan(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/chamas/:id/loans/:loanId/decision",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Approve or reject a loan",
      operationId: "decideChamaLoan",
      params: loanParams,
      body: z.strictObject({ decision: z.enum(["approve", "reject"]) }),
      response: { 200: loan, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const { id, loanId } = request.params;
      return ctx.useCases.chamaHub.loans.decide(
        caller(request),
        requestMeta(request),
        id,
        loanId,
        request.body.decision,
      );
    },
  });
}
