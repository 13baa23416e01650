import { GatehouseError } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../http/context.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { sessionIdParam } from "../sessions/session-item.ts";
import { type AdminDeps, adminMeta, findPrincipalOr404, recordAdminRevocations } from "./admin-support.ts";

/** DELETE /api/admin/principals/{id}/sessions/{sessionId}: end one session of a principal. */
export function registerRevokePrincipalSession(app: FastifyInstance, ctx: AppContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "DELETE",
    url: "/api/admin/principals/:id/sessions/:sessionId",
    config: adminMeta(deps.realm, "sessions.revoke"),
    schema: {
      tags: ["admin"],
      summary: "End one session of a principal",
      params: z.strictObject({ id: z.uuid(), sessionId: sessionIdParam }),
      response: { 204: z.null().describe("Ended"), 404: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const principal = await findPrincipalOr404(ctx, request.params.id);
      const sessions = await ctx.sessions.listForPrincipal(principal.realm, principal.id);
      const target = sessions.find((s) => s.id === request.params.sessionId);
      if (!target || !(await ctx.sessions.revoke(target.id))) throw new GatehouseError("not_found");
      await recordAdminRevocations(ctx, request, principal, [target.id], "admin_revoked_one");
      return reply.status(204).send(null);
    },
  });
}
