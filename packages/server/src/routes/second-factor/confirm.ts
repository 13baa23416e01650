import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { setSessionCookie } from "../../http/cookies.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { authenticatedResponse, commonErrors, errorResponse } from "../../http/schemas.ts";
import { authenticatedBody } from "../auth/respond.ts";
import { captcha, totpCode } from "./totp-support.ts";

const confirmed = z
  .object({
    recoveryCodes: z.array(z.string()).describe("10 single-use recovery codes: shown only now, stored hashed"),
    signedIn: authenticatedResponse
      .nullable()
      .describe("Set when enrolment finished a sign-in: the new full session (the cookie is set too)"),
  })
  .meta({ id: "TotpConfirmed" });

/**
 * POST /api/{realm}/auth/totp/confirm: the first code from the app confirms enrolment and returns the
 * recovery codes. A session that was sent to enrolment becomes a full session with a new token.
 */
export function registerTotpConfirm(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/totp/confirm`,
    config: { gatehouse: { realm, auth: "required", stages: ["enrolment"] } },
    schema: {
      tags: [realm.name],
      summary: "Confirm the authenticator app with its first code",
      operationId: `${realm.name}TotpConfirm`,
      body: z.strictObject({ code: totpCode, captcha }),
      response: { 200: confirmed, 409: errorResponse, 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const done = await ctx.useCases.secondFactor.confirmEnrolment(session, request.body, requestMeta(request));
      if (!done.completed) return { recoveryCodes: done.recoveryCodes, signedIn: null };
      setSessionCookie(reply, realm, ctx.config.cookies, done.completed.token, done.completed.session, ctx.clock.now());
      return {
        recoveryCodes: done.recoveryCodes,
        signedIn: authenticatedBody(ctx, done.principal, done.completed.session),
      };
    },
  });
}
