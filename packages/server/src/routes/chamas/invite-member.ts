import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, email, errorResponse } from "../../http/schemas.ts";
import { chamaMember } from "./schemas.ts";
import { type ChamaRouteDeps, caller, chamaParams, memberMeta, role } from "./support.ts";

/** POST /api/chamas/{id}/members: adds an existing user by email (chairperson or treasurer). */
export function registerInviteMember(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/chamas/:id/members",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "Add a member",
      operationId: "inviteChamaMember",
      params: chamaParams,
      body: z.strictObject({ email, role: role.default("member") }),
      response: { 201: chamaMember, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const member = await ctx.useCases.chamaHub.members.invite(
        caller(request),
        requestMeta(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send(member);
    },
  });
}
