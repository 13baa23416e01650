import { GatehouseError, type RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { clearSessionCookie } from "../../http/cookies.ts";
import { commonErrors, currentSessionResponse } from "../../http/schemas.ts";
import { authenticatedBody } from "./respond.ts";

/**
 * GET /api/{realm}/auth/session: who is signed in, until when, and the CSRF token.
 * `?passive=true` is the web client's background check: it does not count as activity. Also the
 * admin's permissions, and an unfinished sign-in's stage (this route admits it, to say what is due).
 */
export function registerSession(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: `/api/${realm.name}/auth/session`,
    config: { gatehouse: { realm, auth: "required", passiveCheck: true, stages: ["second_factor", "enrolment"] } },
    schema: {
      tags: [realm.name],
      summary: `The current ${realm.name} session`,
      operationId: `${realm.name}GetSession`,
      querystring: z.strictObject({ passive: z.enum(["true", "false"]).optional() }),
      response: { 200: currentSessionResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const principal = await ctx.useCases.currentPrincipal(session).catch((error: unknown) => {
        // The account is gone or disabled (its session just ended): clear this realm's cookie. A storage
        // failure is no answer about the session: the browser keeps its cookie.
        if (error instanceof GatehouseError && error.code === "not_authenticated") {
          clearSessionCookie(reply, realm, ctx.config.cookies);
        }
        throw error;
      });
      // An unfinished sign-in may do nothing yet.
      const permissions = session.stage === "full" ? await ctx.useCases.roles.permissionsOf(session) : [];
      return { ...authenticatedBody(ctx, principal, session), permissions };
    },
  });
}
