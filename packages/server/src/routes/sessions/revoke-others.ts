import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { recordRevocations } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import { commonErrors } from "../../http/schemas.ts";
import { actorOf } from "./session-item.ts";

/** POST /api/{realm}/sessions/revoke-others: ends every other session of the caller in this realm. */
export function registerRevokeOtherSessions(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/sessions/revoke-others`,
    config: { gatehouse: { realm, auth: "required" } },
    schema: {
      tags: [realm.name],
      summary: `End all your other ${realm.name} sessions`,
      response: { 200: z.object({ revoked: z.number().int() }), ...commonErrors },
    },
    handler: async (request) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const ended = await ctx.sessions.revokeAllForPrincipal(realm.name, session.principalId, { exceptId: session.id });
      await recordRevocations(ctx, request, {
        realm: realm.name,
        principalId: session.principalId,
        actor: actorOf(session),
        sessionIds: ended,
        details: { scope: "others" },
      });
      return { revoked: ended.length };
    },
  });
}
