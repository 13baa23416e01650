import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, password, revokedSessionsResponse } from "../../http/schemas.ts";

/**
 * POST /api/{realm}/auth/password-reset/confirm: sets a new password with an emailed token (single
 * use) and ends every session of that principal in this realm — and nothing in any other realm.
 */
export function registerConfirmPasswordReset(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/password-reset/confirm`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Set a new ${realm.name} password with a reset link's token`,
      operationId: `${realm.name}ConfirmPasswordReset`,
      body: z.strictObject({ token: z.string().min(1).max(128), newPassword: password }),
      response: { 200: revokedSessionsResponse, ...commonErrors },
    },
    handler: async (request) =>
      ctx.useCases.resetPassword({ realm: realm.name, ...request.body }, requestMeta(request)),
  });
}
