import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, revokedSessionsResponse } from "../../http/schemas.ts";

/** POST /api/{realm}/sessions/revoke-others: ends every other session of the caller in this realm. */
export function registerRevokeOtherSessions(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/sessions/revoke-others`,
    config: { gatehouse: { realm, auth: "required" } },
    schema: {
      tags: [realm.name],
      summary: `End all your other ${realm.name} sessions`,
      operationId: `${realm.name}RevokeOtherSessions`,
      response: { 200: revokedSessionsResponse, ...commonErrors },
    },
    handler: async (request) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      return ctx.useCases.revokeOtherSessions(session, requestMeta(request));
    },
  });
}
