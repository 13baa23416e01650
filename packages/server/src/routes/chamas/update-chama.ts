import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { chamaFields } from "./create-chama.ts";
import { chamaDetail } from "./schemas.ts";
import { type ChamaRouteDeps, caller, chamaParams, memberMeta } from "./support.ts";

/** PATCH /api/chamas/{id}: name, description, rules, interest rate (chairperson or treasurer). */
export function registerUpdateChama(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "PATCH",
    url: "/api/chamas/:id",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Change a chama",
      operationId: "updateChama",
      params: chamaParams,
      body: z.strictObject({ ...chamaFields, name: chamaFields.name.optional() }),
      response: { 200: chamaDetail, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request) =>
      ctx.useCases.chamaHub.chamas.update(caller(request), requestMeta(request), request.params.id, request.body),
  });
}
