import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { loan } from "./schemas.ts";
import { type ChamaRouteDeps, caller, loanParams, memberMeta } from "./support.ts";

/** POST /api/chamas/{id}/loans/{loanId}/disburse: pays an approved loan out if the balance covers it. */
export function registerDisburseLoan(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/chamas/:id/loans/:loanId/disburse",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Disburse a loan",
      operationId: "disburseChamaLoan",
      params: loanParams,
      response: { 200: loan, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const { id, loanId } = request.params;
      return ctx.useCases.chamaHub.loans.disburse(caller(request), requestMeta(request), id, loanId);
    },
  });
}
