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
 * POST /api/{realm}/auth/signup, only for realms that allow self sign-up: create an account and sign in.
 * `email_taken` necessarily says an account exists (SPEC: sign-up signs in at once), so each one counts
 * against the IP like a failed login: probing many emails from one address slows down and needs a
 * CAPTCHA (docs/security.md, 6.3.8).
 */
export function registerSignup(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/signup`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Create a ${realm.name} account and sign in`,
      operationId: `${realm.name}Signup`,
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
        captcha: z.string().max(maxCaptchaPayloadLength).optional(),
      }),
      response: { 201: authenticatedResponse, 409: errorResponse, 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const result = await ctx.useCases.signUp(
        { realm: realm.name, ...request.body, previousToken: presentedToken(ctx, realm, request) },
        requestMeta(request),
      );
      reply.status(201);
      return signedIn(ctx, reply, realm, result);
    },
  });
}
