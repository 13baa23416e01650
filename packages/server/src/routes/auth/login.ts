import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { maxCaptchaPayloadLength } from "../../abuse/captcha.ts";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { authenticatedResponse, commonErrors, email, errorResponse, password } from "../../http/schemas.ts";
import { presentedToken, signedIn } from "./respond.ts";

/**
 * POST /api/{realm}/auth/login: password sign-in. Always a new token; this browser's previous session
 * in the realm ends. Throttled per IP and per account (docs/abuse-protection.md): `captcha` carries a
 * solved challenge from GET /api/public/captcha once one is demanded.
 */
export function registerLogin(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/login`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Sign in to the ${realm.name} realm`,
      operationId: `${realm.name}Login`,
      body: z.strictObject({
        email,
        password,
        rememberMe: z.boolean().optional(),
        captcha: z.string().max(maxCaptchaPayloadLength).optional(),
      }),
      response: { 200: authenticatedResponse, 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const result = await ctx.useCases.signIn(
        { realm: realm.name, ...request.body, previousToken: presentedToken(ctx, realm, request) },
        requestMeta(request),
      );
      return signedIn(ctx, reply, realm, result);
    },
  });
}
