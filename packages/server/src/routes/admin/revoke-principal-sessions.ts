import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse, revokedSessionsResponse } from "../../http/schemas.ts";
import { type AdminDeps, adminActor, adminMeta, principalIdParam } from "./admin-support.ts";

/** POST /api/admin/principals/{id}/sessions/revoke-all: end every session of a principal (in its realm). */
export function registerRevokePrincipalSessions(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/admin/principals/:id/sessions/revoke-all",
    config: adminMeta(deps.realm, "sessions.revoke", { stepUp: true }),
    schema: {
      tags: ["admin"],
      summary: "End every session of a principal",
      operationId: "adminRevokePrincipalSessions",
      params: principalIdParam,
      response: { 200: revokedSessionsResponse, 404: errorResponse, ...commonErrors },
    },
    handler: async (request) =>
      ctx.useCases.admin.revokePrincipalSessions(adminActor(request), request.params.id, requestMeta(request)),
  });
}
