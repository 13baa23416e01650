import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { recordEvent } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import { clearSessionCookie } from "../../http/cookies.ts";
import { commonErrors } from "../../http/schemas.ts";

/**
 * POST /api/{realm}/auth/logout: ends this realm's session on the server and clears this realm's
 * cookie only. Idempotent; never sends Clear-Site-Data (it would sign the other realm out too).
 */
export function registerLogout(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/logout`,
    config: { gatehouse: { realm, auth: "optional" } },
    schema: {
      tags: [realm.name],
      summary: `Sign out of the ${realm.name} realm`,
      response: { 204: z.null().describe("Signed out"), ...commonErrors },
    },
    handler: async (request, reply) => {
      if (request.auth) {
        const { session } = request.auth;
        await ctx.sessions.revoke(session.id);
        await recordEvent(ctx, request, {
          type: "logout",
          realm: realm.name,
          principalId: session.principalId,
          sessionId: session.id,
        });
      }
      clearSessionCookie(reply, realm, ctx.config.cookies);
      return reply.status(204).send(null);
    },
  });
}
