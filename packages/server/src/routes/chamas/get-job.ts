import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { job } from "./schemas.ts";
import { type ChamaRouteDeps, caller, memberMeta } from "./support.ts";

/** GET /api/jobs/{id}: a job's state and progress, for the user who started it (anyone else: 404). */
export function registerGetJob(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/jobs/:id",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "A job you started",
      operationId: "getJob",
      params: z.strictObject({ id: z.uuid() }),
      response: { 200: job, 404: errorResponse, ...commonErrors },
    },
    handler: async (request) => ctx.useCases.chamaHub.jobFor(caller(request), request.params.id),
  });
}
