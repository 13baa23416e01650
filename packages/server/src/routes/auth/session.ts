import { GatehouseError, type RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../http/context.ts";
import { clearSessionCookie } from "../../http/cookies.ts";
import { authenticatedResponse, commonErrors } from "../../http/schemas.ts";
import { authenticatedBody } from "./respond.ts";

/**
 * GET /api/{realm}/auth/session: who is signed in, until when, and the CSRF token.
 * `?passive=true` is the web client's background check: it does not count as activity.
 */
export function registerSession(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: `/api/${realm.name}/auth/session`,
    config: { gatehouse: { realm, auth: "required", passiveCheck: true } },
    schema: {
      tags: [realm.name],
      summary: `The current ${realm.name} session`,
      querystring: z.strictObject({ passive: z.enum(["true", "false"]).optional() }),
      response: { 200: authenticatedResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const auth = request.auth as NonNullable<typeof request.auth>;
      const principal = await ctx.principals.findById(realm.name, auth.session.principalId);
      if (!principal || principal.disabledAt) {
        await ctx.sessions.revoke(auth.session.id);
        clearSessionCookie(reply, realm, ctx.config.cookies);
        throw new GatehouseError("not_authenticated");
      }
      return authenticatedBody(ctx, principal, auth.session);
    },
  });
}
