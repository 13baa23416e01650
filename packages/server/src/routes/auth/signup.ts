import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../http/context.ts";
import { sessionCookieName } from "../../http/cookies.ts";
import { authenticatedResponse, commonErrors, email, errorResponse, password } from "../../http/schemas.ts";
import { recordSignIn, sessionContext, signedIn } from "./respond.ts";

/** POST /api/{realm}/auth/signup, only for realms that allow self sign-up: create an account and sign in. */
export function registerSignup(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/signup`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Create a ${realm.name} account and sign in`,
      body: z.strictObject({
        email,
        password,
        displayName: z
          .string()
          .trim()
          .min(1)
          .max(100)
          .regex(/^[^\p{Cc}\p{Cs}]*$/u, "no control characters")
          .optional(),
      }),
      response: { 201: authenticatedResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const principal = await ctx.auth.createPrincipal(realm.name, request.body);
      const result = await ctx.auth.startSession(
        realm.name,
        principal,
        { previousToken: request.cookies[sessionCookieName(realm, ctx.config.cookies)] },
        sessionContext(request),
      );
      await recordSignIn(ctx, request, realm, result, "signup");
      reply.status(201);
      return signedIn(ctx, reply, realm, result);
    },
  });
}
