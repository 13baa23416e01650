import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { loanSchedule } from "./schemas.ts";
import { type ChamaRouteDeps, caller, loanParams, memberMeta } from "./support.ts";

/** GET /api/chamas/{id}/loans/{loanId}/schedule: monthly installments and what is paid against them. */
export function registerLoanSchedule(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/chamas/:id/loans/:loanId/schedule",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "A loan's repayment schedule",
      operationId: "getChamaLoanSchedule",
      params: loanParams,
      response: { 200: loanSchedule, 404: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const { id, loanId } = request.params;
      return ctx.useCases.chamaHub.loans.schedule(caller(request), id, loanId);
    },
  });
}
