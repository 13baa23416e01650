import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, email, errorResponse } from "../../http/schemas.ts";

const otpRequestAccepted = z.object({ status: z.literal("accepted") }).meta({ id: "OtpRequestAccepted" });

/**
 * POST /api/{realm}/auth/otp/request: emails a one-time sign-in code. Always 202 with the same body,
 * whether or not the account exists, and before any lookup or mail happens, so neither the answer nor
 * its timing tells an account apart. A resend inside the cooldown silently sends nothing. Per IP,
 * requests beyond a budget (throttle catalog `otp-request`) get 429 — the same for every email, so it reveals nothing either.
 */
export function registerOtpRequest(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/otp/request`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Email a one-time sign-in code (${realm.name} realm)`,
      operationId: `${realm.name}RequestOtp`,
      body: z.strictObject({ email }),
      response: { 202: otpRequestAccepted, 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      await ctx.useCases.requestCode({ realm: realm.name, email: request.body.email }, requestMeta(request));
      return reply.status(202).send({ status: "accepted" as const });
    },
  });
}
