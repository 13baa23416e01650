import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { clearSessionCookie } from "../../http/cookies.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors } from "../../http/schemas.ts";

/**
 * POST /api/{realm}/auth/logout: ends this realm's session on the server and clears this realm's
 * cookie only. Idempotent; never sends Clear-Site-Data (it would sign the other realm out too).
 */
export function registerLogout(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/logout`,
    config: { gatehouse: { realm, auth: "optional", stages: ["second_factor", "enrolment"] } },
    schema: {
      tags: [realm.name],
      summary: `Sign out of the ${realm.name} realm`,
      operationId: `${realm.name}Logout`,
      response: { 204: z.null().describe("Signed out"), ...commonErrors },
    },
    handler: async (request, reply) => {
      await ctx.useCases.signOut(request.auth?.session ?? null, requestMeta(request));
      clearSessionCookie(reply, realm, ctx.config.cookies);
      return reply.status(204).send(null);
    },
  });
}
