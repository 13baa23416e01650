import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { loan } from "./schemas.ts";
import { amountInput, type ChamaRouteDeps, caller, loanParams, memberMeta } from "./support.ts";

/** POST /api/chamas/{id}/loans/{loanId}/repayments: records a repayment (officers), never more than owed. */
export function registerRepayLoan(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/chamas/:id/loans/:loanId/repayments",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Record a loan repayment",
      operationId: "repayChamaLoan",
      params: loanParams,
      body: z.strictObject({ amount: amountInput }),
      response: { 200: loan, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const { id, loanId } = request.params;
      return ctx.useCases.chamaHub.loans.repay(caller(request), requestMeta(request), id, loanId, request.body);
    },
  });
}
