import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse, password } from "../../http/schemas.ts";
import { captcha, totpCode } from "./totp-support.ts";

const reauthenticated = z.object({ authenticatedAt: z.iso.datetime() }).meta({ id: "Reauthenticated" });

/**
 * POST /api/{realm}/auth/reauthenticate: proves identity again (the password, or a TOTP code) so that
 * sensitive actions are allowed for the next 5 minutes (step-up). Throttled like a password; audited.
 */
export function registerReauthenticate(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/reauthenticate`,
    config: { gatehouse: { realm, auth: "required" } },
    schema: {
      tags: [realm.name],
      summary: "Re-authenticate for sensitive actions",
      operationId: `${realm.name}Reauthenticate`,
      body: z.union([z.strictObject({ password, captcha }), z.strictObject({ code: totpCode, captcha })]),
      response: { 200: reauthenticated, 429: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const done = await ctx.useCases.secondFactor.reauthenticate(session, request.body, requestMeta(request));
      return { authenticatedAt: done.authenticatedAt.toISOString() };
    },
  });
}
