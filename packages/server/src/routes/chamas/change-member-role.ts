import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { type ChamaRouteDeps, caller, memberMeta, memberParams, role } from "./support.ts";

/** PATCH /api/chamas/{id}/members/{memberId}: changes a role; the last chairperson keeps theirs. */
export function registerChangeMemberRole(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "PATCH",
    url: "/api/chamas/:id/members/:memberId",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Change a member's role",
      operationId: "changeChamaMemberRole",
      params: memberParams,
      body: z.strictObject({ role }),
      response: { 204: z.null().describe("Changed"), 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { id, memberId } = request.params;
      await ctx.useCases.chamaHub.members.changeRole(
        caller(request),
        requestMeta(request),
        id,
        memberId,
        request.body.role,
      );
      return reply.status(204).send(null);
    },
  });
}
