import { GatehouseError, type RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { authenticatedResponse, commonErrors, errorResponse } from "../../http/schemas.ts";
import { signedIn } from "../auth/respond.ts";
import { captcha, recoveryCode, totpCode } from "./totp-support.ts";

/**
 * POST /api/{realm}/auth/totp/verify: the second step of sign-in. Only a half-signed-in session (password
 * checked, at most 5 minutes old) reaches it; a code (once per 30-second step) or a recovery code (once)
 * swaps it for a full session with a new token. Throttled per IP and account like a password.
 */
export function registerTotpVerify(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/totp/verify`,
    config: { gatehouse: { realm, auth: "required", stages: ["second_factor"] } },
    schema: {
      tags: [realm.name],
      summary: "Finish signing in with an authenticator code or a recovery code",
      operationId: `${realm.name}TotpVerify`,
      body: z.union([z.strictObject({ code: totpCode, captcha }), z.strictObject({ recoveryCode, captcha })]),
      response: { 200: authenticatedResponse, 409: errorResponse, 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      // A full session has nothing to finish.
      if (session.stage !== "second_factor") throw new GatehouseError("no_pending_sign_in");
      const done = await ctx.useCases.secondFactor.verifySignIn(session, request.body, requestMeta(request));
      return signedIn(ctx, reply, realm, done);
    },
  });
}
