import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors } from "../../http/schemas.ts";
import { chamaDetail } from "./schemas.ts";
import { type ChamaRouteDeps, caller, memberMeta } from "./support.ts";

export const chamaFields = {
  name: z.string().trim().min(3).max(100),
  description: z.string().max(5000).optional(),
  rules: z.string().max(10_000).optional(),
  interestRate: z.union([z.string().max(6), z.number().min(0).max(100)]).optional(),
};

/** POST /api/chamas: creates a chama; the caller becomes its chairperson. */
export function registerCreateChama(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/chamas",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Create a chama",
      operationId: "createChama",
      body: z.strictObject(chamaFields),
      response: { 201: chamaDetail, ...commonErrors },
    },
    handler: async (request, reply) => {
      const detail = await ctx.useCases.chamaHub.chamas.create(caller(request), requestMeta(request), request.body);
      return reply.status(201).send(detail);
    },
  });
}
