import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";

/**
 * POST /api/{realm}/auth/totp/disable: removes the authenticator app and the recovery codes. Sensitive:
 * needs a re-authentication within the last 5 minutes (step-up). Under ADMIN_2FA=required an admin is
 * sent to enrolment again at the next sign-in.
 */
export function registerTotpDisable(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/totp/disable`,
    config: { gatehouse: { realm, auth: "required", stepUp: true } },
    schema: {
      tags: [realm.name],
      summary: "Remove the authenticator app",
      operationId: `${realm.name}TotpDisable`,
      response: { 204: z.null().describe("Removed"), 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      await ctx.useCases.secondFactor.disable(session, requestMeta(request));
      return reply.status(204).send(null);
    },
  });
}
