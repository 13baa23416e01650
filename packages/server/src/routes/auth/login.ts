import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../http/context.ts";
import { sessionCookieName } from "../../http/cookies.ts";
import { authenticatedResponse, commonErrors, email, password } from "../../http/schemas.ts";
import { sessionContext, signedIn } from "./respond.ts";

/** POST /api/{realm}/auth/login: password sign-in. Always a new token; this browser's previous session in the realm ends. */
export function registerLogin(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/login`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Sign in to the ${realm.name} realm`,
      body: z.strictObject({ email, password, rememberMe: z.boolean().optional() }),
      response: { 200: authenticatedResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const result = await ctx.auth.login(
        realm.name,
        { ...request.body, previousToken: request.cookies[sessionCookieName(realm, ctx.config.cookies)] },
        sessionContext(request),
      );
      return signedIn(ctx, reply, realm, result);
    },
  });
}
