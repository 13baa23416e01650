import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { job } from "./schemas.ts";
import { type ChamaRouteDeps, caller, chamaParams, memberMeta } from "./support.ts";

/** POST /api/chamas/{id}/reminders: mails this chama's members a contribution reminder now (a job). */
export function registerSendReminders(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/chamas/:id/reminders",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Send contribution reminders now",
      operationId: "sendChamaReminders",
      params: chamaParams,
      response: { 202: job, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const started = await ctx.useCases.chamaHub.startReminders(
        caller(request),
        requestMeta(request),
        request.params.id,
      );
      return reply.status(202).send(started);
    },
  });
}
