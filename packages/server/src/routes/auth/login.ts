import { failsWith, normalizeEmail, type RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { maxCaptchaPayloadLength } from "../../abuse/captcha.ts";
import { throttleSubject } from "../../abuse/client-ip.ts";
import { recordEvent } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import { sessionCookieName } from "../../http/cookies.ts";
import { authenticatedResponse, commonErrors, email, errorResponse, password } from "../../http/schemas.ts";
import { recordSignIn, sessionContext, signedIn } from "./respond.ts";

/**
 * POST /api/{realm}/auth/login: password sign-in. Always a new token; this browser's previous session
 * in the realm ends. Throttled per IP and per account (docs/abuse-protection.md): `captcha` carries a
 * solved challenge from GET /api/public/captcha once one is demanded.
 */
export function registerLogin(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  const action = `login:${realm.name}`;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/login`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Sign in to the ${realm.name} realm`,
      body: z.strictObject({
        email,
        password,
        rememberMe: z.boolean().optional(),
        captcha: z.string().max(maxCaptchaPayloadLength).optional(),
      }),
      response: { 200: authenticatedResponse, 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { captcha, ...credentials } = request.body;
      const subject = throttleSubject(request, normalizeEmail(credentials.email));
      const result = await ctx.abuse.throttle
        .attempt(
          action,
          subject,
          captcha,
          () =>
            ctx.auth.login(
              realm.name,
              { ...credentials, previousToken: request.cookies[sessionCookieName(realm, ctx.config.cookies)] },
              sessionContext(request),
            ),
          { isFailure: failsWith("invalid_credentials") },
        )
        .catch(async (error: unknown) => {
          if (failsWith("invalid_credentials")(error)) {
            await recordEvent(ctx, request, {
              type: "login_failed",
              realm: realm.name,
              details: { email: normalizeEmail(request.body.email) },
            });
          }
          throw error;
        });
      await recordSignIn(ctx, request, realm, result, "login_succeeded");
      return signedIn(ctx, reply, realm, result);
    },
  });
}
