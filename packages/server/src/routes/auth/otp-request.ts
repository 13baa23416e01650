import { normalizeEmail, type RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { clientIp } from "../../abuse/client-ip.ts";
import type { AppContext } from "../../http/context.ts";
import { commonErrors, email, errorResponse } from "../../http/schemas.ts";

/** Code requests one IP may make per 10 minutes; bounds mail sent to many addresses from one client. */
const requestsPerWindow = 20;
const windowSeconds = 600;

/**
 * POST /api/{realm}/auth/otp/request: emails a one-time sign-in code. Always 202 with the same body,
 * whether or not the account exists, and before any lookup or mail happens, so neither the answer nor
 * its timing tells an account apart. A resend inside the cooldown silently sends nothing. Per IP,
 * requests beyond a budget get 429 — the same for every email, so it reveals nothing either.
 */
export function registerOtpRequest(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/otp/request`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Email a one-time sign-in code (${realm.name} realm)`,
      body: z.strictObject({ email }),
      response: { 202: z.object({ status: z.literal("accepted") }), 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      await ctx.abuse.throttle.limitRate(
        `otp-request:${realm.name}`,
        clientIp(request),
        requestsPerWindow,
        windowSeconds,
      );
      const address = normalizeEmail(request.body.email);
      void sendCode(ctx, realm, address, request).catch((error: unknown) => {
        request.log.error({ err: error }, "could not issue or send a one-time code");
      });
      return reply.status(202).send({ status: "accepted" as const });
    },
  });
}

async function sendCode(ctx: AppContext, realm: RealmPolicy, address: string, request: FastifyRequest) {
  const principal = await ctx.principals.findByEmail(realm.name, address);
  if (!principal || principal.disabledAt) return;
  const issued = await ctx.abuse.otp.issue(principal);
  if (!issued) {
    request.log.info({ realm: realm.name }, "one-time code not resent: inside the cooldown");
    return;
  }
  const minutes = Math.round(ctx.abuse.otp.policy.ttlSeconds / 60);
  await ctx.mailer.send({
    to: principal.email,
    subject: `Your Gatehouse sign-in code: ${issued.code}`,
    text:
      `Your sign-in code is ${issued.code}\n\n` +
      `It works once, for ${minutes} minutes, on ${ctx.config.publicUrl.origin}.\n` +
      "If you did not ask for it, ignore this message: nobody can sign in without the code.\n",
  });
}
