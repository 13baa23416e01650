import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../http/context.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import {
  type AdminDeps,
  adminMeta,
  findPrincipalOr404,
  principalIdParam,
  recordAdminRevocations,
} from "./admin-support.ts";

/** POST /api/admin/principals/{id}/sessions/revoke-all: end every session of a principal (in its realm). */
export function registerRevokePrincipalSessions(app: FastifyInstance, ctx: AppContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/admin/principals/:id/sessions/revoke-all",
    config: adminMeta(deps.realm, "sessions.revoke"),
    schema: {
      tags: ["admin"],
      summary: "End every session of a principal",
      params: principalIdParam,
      response: { 200: z.object({ revoked: z.number().int() }), 404: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const principal = await findPrincipalOr404(ctx, request.params.id);
      const ended = await ctx.sessions.revokeAllForPrincipal(principal.realm, principal.id);
      await recordAdminRevocations(ctx, request, principal, ended, "admin_revoked_all");
      return { revoked: ended.length };
    },
  });
}
