import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { sessionIdParam } from "../sessions/session-item.ts";
import { type AdminDeps, adminActor, adminMeta } from "./admin-support.ts";

/** DELETE /api/admin/principals/{id}/sessions/{sessionId}: end one session of a principal. */
export function registerRevokePrincipalSession(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "DELETE",
    url: "/api/admin/principals/:id/sessions/:sessionId",
    config: adminMeta(deps.realm, "sessions.revoke", { stepUp: true }),
    schema: {
      tags: ["admin"],
      summary: "End one session of a principal",
      operationId: "adminRevokePrincipalSession",
      params: z.strictObject({ id: z.uuid(), sessionId: sessionIdParam }),
      response: { 204: z.null().describe("Ended"), 404: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { id, sessionId } = request.params;
      await ctx.useCases.admin.revokePrincipalSession(adminActor(request), id, sessionId, requestMeta(request));
      return reply.status(204).send(null);
    },
  });
}
