import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { adminChamaDetail } from "../chamas/schemas.ts";
import { type AdminDeps, adminActor, adminMeta } from "./admin-support.ts";

/**
 * POST /api/admin/chamas/{id}/deactivate and /activate (chamas.manage): a deactivated chama stays
 * readable by its members but accepts no change.
 */
export function registerAdminSetChamaActive(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  for (const [action, active] of [
    ["deactivate", false],
    ["activate", true],
  ] as const) {
    app.withTypeProvider<ZodTypeProvider>().route({
      method: "POST",
      url: `/api/admin/chamas/:id/${action}`,
      config: adminMeta(deps.realm, "chamas.manage"),
      schema: {
        tags: ["admin"],
        summary: `${action === "activate" ? "Reactivate" : "Deactivate"} a chama`,
        operationId: action === "activate" ? "adminActivateChama" : "adminDeactivateChama",
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: adminChamaDetail, 404: errorResponse, ...commonErrors },
      },
      handler: async (request) =>
        ctx.useCases.chamaHub.admin.setActive(adminActor(request), requestMeta(request), request.params.id, active),
    });
  }
}
