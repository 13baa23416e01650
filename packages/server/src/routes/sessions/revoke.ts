import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { clearSessionCookie } from "../../http/cookies.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { sessionIdParam } from "./session-item.ts";

/**
 * DELETE /api/{realm}/sessions/{id}: ends one of the caller's own sessions in this realm. Any other
 * id — another principal's, another realm's, or none — is 404, so ids of others cannot be probed.
 * Ending the current session is a logout: this realm's cookie is cleared.
 */
export function registerRevokeSession(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "DELETE",
    url: `/api/${realm.name}/sessions/:id`,
    config: { gatehouse: { realm, auth: "required" } },
    schema: {
      tags: [realm.name],
      summary: `End one of your ${realm.name} sessions`,
      operationId: `${realm.name}RevokeSession`,
      params: z.strictObject({ id: sessionIdParam }),
      response: { 204: z.null().describe("Ended"), 404: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const { wasCurrent } = await ctx.useCases.revokeOwnSession(session, request.params.id, requestMeta(request));
      if (wasCurrent) clearSessionCookie(reply, realm, ctx.config.cookies);
      return reply.status(204).send(null);
    },
  });
}
