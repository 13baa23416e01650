import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { type ChamaRouteDeps, caller, memberMeta, memberParams } from "./support.ts";

/** DELETE /api/chamas/{id}/members/{memberId}: an officer removes a member, or a member leaves (own id). */
export function registerRemoveMember(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "DELETE",
    url: "/api/chamas/:id/members/:memberId",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Remove a member, or leave",
      operationId: "removeChamaMember",
      params: memberParams,
      response: { 204: z.null().describe("Removed"), 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { id, memberId } = request.params;
      await ctx.useCases.chamaHub.members.deactivate(caller(request), requestMeta(request), id, memberId);
      return reply.status(204).send(null);
    },
  });
}
