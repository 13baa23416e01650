import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { maxCaptchaPayloadLength } from "../../abuse/captcha.ts";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { authenticatedResponse, commonErrors, email, errorResponse } from "../../http/schemas.ts";
import { presentedToken, signedIn } from "./respond.ts";

/**
 * POST /api/{realm}/auth/otp/verify: signs in with an emailed code, exactly like a password login
 * (new token, this browser's previous session in the realm ends). Throttled like login.
 */
export function registerOtpVerify(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  // The accepted shape follows the code policy (a longer code is a configuration, not a code change).
  const { codeLength } = ctx.abuse.otp.policy;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/otp/verify`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Sign in to the ${realm.name} realm with an emailed code`,
      operationId: `${realm.name}VerifyOtp`,
      body: z.strictObject({
        email,
        code: z.string().regex(new RegExp(`^\\d{${codeLength}}$`), `${codeLength} digits`),
        rememberMe: z.boolean().optional(),
        captcha: z.string().max(maxCaptchaPayloadLength).optional(),
      }),
      response: { 200: authenticatedResponse, 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const result = await ctx.useCases.signInWithCode(
        { realm: realm.name, ...request.body, previousToken: presentedToken(ctx, realm, request) },
        requestMeta(request),
      );
      return signedIn(ctx, reply, realm, result);
    },
  });
}
