import { GatehouseError, type RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { recordEvent } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import { clearSessionCookie } from "../../http/cookies.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { actorOf, sessionIdParam } from "./session-item.ts";

/**
 * DELETE /api/{realm}/sessions/{id}: ends one of the caller's own sessions in this realm. Any other
 * id — another principal's, another realm's, or none — is 404, so ids of others cannot be probed.
 * Ending the current session is a logout: this realm's cookie is cleared.
 */
export function registerRevokeSession(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "DELETE",
    url: `/api/${realm.name}/sessions/:id`,
    config: { gatehouse: { realm, auth: "required" } },
    schema: {
      tags: [realm.name],
      summary: `End one of your ${realm.name} sessions`,
      params: z.strictObject({ id: sessionIdParam }),
      response: { 204: z.null().describe("Ended"), 404: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const own = await ctx.sessions.listForPrincipal(realm.name, session.principalId);
      const target = own.find((s) => s.id === request.params.id);
      if (!target || !(await ctx.sessions.revoke(target.id))) throw new GatehouseError("not_found");
      await recordEvent(ctx, request, {
        type: "session_revoked",
        realm: realm.name,
        principalId: session.principalId,
        actor: actorOf(session),
        sessionId: target.id,
        details: { scope: "one", current: target.id === session.id },
      });
      if (target.id === session.id) clearSessionCookie(reply, realm, ctx.config.cookies);
      return reply.status(204).send(null);
    },
  });
}
