import { normalizeEmail, type RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { maxCaptchaPayloadLength } from "../../abuse/captcha.ts";
import { throttleSubject } from "../../abuse/client-ip.ts";
import { recordEvent } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import { commonErrors, email, errorResponse } from "../../http/schemas.ts";

const accepted = { message: "If an account with this email exists, a reset link is on its way." } as const;

/**
 * POST /api/{realm}/auth/password-reset: always 202 with one fixed body. The lookup, token and mail
 * happen after the answer is sent, so neither the body nor the timing says whether the account exists.
 * Every request counts against the IP and the email typed (known or not, alike): mail bombing an
 * account or probing from one address runs into growing delays and a CAPTCHA, never a lockout.
 */
export function registerRequestPasswordReset(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  const action = `password-reset:${realm.name}`;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/password-reset`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Ask for a ${realm.name} password reset link by email`,
      body: z.strictObject({ email, captcha: z.string().max(maxCaptchaPayloadLength).optional() }),
      response: { 202: z.object({ message: z.string() }), 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const requested = request.body.email;
      await ctx.abuse.throttle.consume(
        action,
        throttleSubject(request, normalizeEmail(requested)),
        request.body.captcha,
      );
      setImmediate(() => {
        sendResetLink(ctx, request, realm, requested).catch((error: unknown) => {
          request.log.error({ err: error }, "password reset request failed");
        });
      });
      return reply.status(202).send(accepted);
    },
  });
}

async function sendResetLink(ctx: AppContext, request: FastifyRequest, realm: RealmPolicy, requested: string) {
  const issued = await ctx.passwords.requestReset(realm.name, requested);
  await recordEvent(ctx, request, {
    type: "password_reset_requested",
    realm: realm.name,
    principalId: issued?.principal.id ?? null,
    details: { email: normalizeEmail(requested), accountFound: issued !== null },
  });
  if (!issued) return;
  // The token appears only in this mail: never in a log line, an audit event or an answer.
  const link = new URL("/reset-password", ctx.config.publicUrl);
  link.searchParams.set("realm", realm.name);
  link.searchParams.set("token", issued.token);
  await ctx.mailer.send({
    to: issued.principal.email,
    subject: "Reset your password",
    text: [
      "Someone (hopefully you) asked to reset the password of your account.",
      "",
      "Open this link within 30 minutes to choose a new password:",
      "",
      link.toString(),
      "",
      "Resetting signs this account out everywhere. If you did not ask for this, ignore this mail.",
    ].join("\n"),
  });
}
