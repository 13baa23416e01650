import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { maxCaptchaPayloadLength } from "../../abuse/captcha.ts";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { authenticatedResponse, commonErrors, errorResponse, password } from "../../http/schemas.ts";
import { signedIn } from "./respond.ts";

/**
 * POST /api/{realm}/auth/password: change the password. Every other session of the principal in this
 * realm ends; the current one gets a new token (new cookie, new CSRF token in the answer). Other
 * realms, even a principal with the same email there, are untouched. Wrong current passwords are
 * throttled like logins (per IP and per account), so a stolen session is no password-guessing oracle.
 */
export function registerChangePassword(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/password`,
    config: { gatehouse: { realm, auth: "required" } },
    schema: {
      tags: [realm.name],
      summary: `Change your ${realm.name} password`,
      operationId: `${realm.name}ChangePassword`,
      body: z.strictObject({
        currentPassword: password,
        newPassword: password,
        captcha: z.string().max(maxCaptchaPayloadLength).optional(),
      }),
      response: { 200: authenticatedResponse, 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const changed = await ctx.useCases.changePassword(session, request.body, requestMeta(request));
      return signedIn(ctx, reply, realm, changed);
    },
  });
}
