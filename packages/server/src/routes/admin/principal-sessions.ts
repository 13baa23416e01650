import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { sessionListItem, toSessionListItem } from "../sessions/session-item.ts";
import { type AdminDeps, adminMeta, adminPrincipal, principalIdParam, toAdminPrincipal } from "./admin-support.ts";

const principalSessions = z
  .object({ principal: adminPrincipal, sessions: z.array(sessionListItem) })
  .meta({ id: "AdminPrincipalSessions" });

/** GET /api/admin/principals/{id}/sessions: one principal's live sessions. */
export function registerPrincipalSessions(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/admin/principals/:id/sessions",
    config: adminMeta(deps.realm, "sessions.read"),
    schema: {
      tags: ["admin"],
      summary: "A principal's active sessions",
      operationId: "adminListPrincipalSessions",
      params: principalIdParam,
      response: {
        200: principalSessions,
        404: errorResponse,
        ...commonErrors,
      },
    },
    handler: async (request) => {
      const { principal, sessions } = await ctx.useCases.admin.principalSessions(request.params.id);
      const currentId = request.auth?.session.id ?? null;
      return { principal: toAdminPrincipal(principal), sessions: sessions.map((s) => toSessionListItem(s, currentId)) };
    },
  });
}
