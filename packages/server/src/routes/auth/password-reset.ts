import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { maxCaptchaPayloadLength } from "../../abuse/captcha.ts";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, email, errorResponse } from "../../http/schemas.ts";

const accepted = { message: "If an account with this email exists, a reset link is on its way." } as const;
const passwordResetAccepted = z.object({ message: z.string() }).meta({ id: "PasswordResetAccepted" });

/**
 * POST /api/{realm}/auth/password-reset: always 202 with one fixed body. The lookup, token and mail
 * happen after the answer is sent, so neither the body nor the timing says whether the account exists.
 * Every request counts against the IP and the email typed (known or not, alike): mail bombing an
 * account or probing from one address runs into growing delays and a CAPTCHA, never a lockout.
 */
export function registerRequestPasswordReset(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/password-reset`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Ask for a ${realm.name} password reset link by email`,
      operationId: `${realm.name}RequestPasswordReset`,
      body: z.strictObject({ email, captcha: z.string().max(maxCaptchaPayloadLength).optional() }),
      response: { 202: passwordResetAccepted, 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      await ctx.useCases.requestPasswordReset({ realm: realm.name, ...request.body }, requestMeta(request));
      return reply.status(202).send(accepted);
    },
  });
}
