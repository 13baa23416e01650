import { failsWith, GatehouseError, normalizeEmail, type RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { maxCaptchaPayloadLength } from "../../abuse/captcha.ts";
import { throttleSubject } from "../../abuse/client-ip.ts";
import { recordEvent } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import { sessionCookieName } from "../../http/cookies.ts";
import { authenticatedResponse, commonErrors, email, errorResponse } from "../../http/schemas.ts";
import { recordSignIn, sessionContext, signedIn } from "./respond.ts";

/**
 * POST /api/{realm}/auth/otp/verify: signs in with an emailed code, exactly like a password login
 * (new token, this browser's previous session in the realm ends). Throttled like login.
 */
export function registerOtpVerify(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  const action = `otp:${realm.name}`;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/otp/verify`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Sign in to the ${realm.name} realm with an emailed code`,
      body: z.strictObject({
        email,
        code: z.string().regex(/^\d{6}$/, "six digits"),
        rememberMe: z.boolean().optional(),
        captcha: z.string().max(maxCaptchaPayloadLength).optional(),
      }),
      response: { 200: authenticatedResponse, 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const address = normalizeEmail(request.body.email);
      const subject = throttleSubject(request, address);
      const principal = await ctx.abuse.throttle
        .attempt(
          action,
          subject,
          request.body.captcha,
          async () => {
            const found = await ctx.principals.findByEmail(realm.name, address);
            const verified = await ctx.abuse.otp.verifyFor(realm.name, found, request.body.code);
            if (!verified) throw new GatehouseError("otp_invalid");
            return verified;
          },
          { isFailure: failsWith("otp_invalid") },
        )
        .catch(async (error: unknown) => {
          if (failsWith("otp_invalid")(error)) {
            await recordEvent(ctx, request, {
              type: "login_failed",
              realm: realm.name,
              details: { email: address, method: "otp" },
            });
          }
          throw error;
        });
      const result = await ctx.auth.startSession(
        realm.name,
        principal,
        {
          rememberMe: request.body.rememberMe ?? false,
          previousToken: request.cookies[sessionCookieName(realm, ctx.config.cookies)],
        },
        sessionContext(request),
      );
      await recordSignIn(ctx, request, realm, result, "otp_signin");
      return signedIn(ctx, reply, realm, result);
    },
  });
}
