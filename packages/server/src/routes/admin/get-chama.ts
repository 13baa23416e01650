import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { adminChamaDetail } from "../chamas/schemas.ts";
import { type AdminDeps, adminMeta } from "./admin-support.ts";

/** GET /api/admin/chamas/{id}: any chama's detail and totals (chamas.read). */
export function registerAdminGetChama(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/admin/chamas/:id",
    config: adminMeta(deps.realm, "chamas.read"),
    schema: {
      tags: ["admin"],
      summary: "A chama's detail",
      operationId: "adminGetChama",
      params: z.strictObject({ id: z.uuid() }),
      response: { 200: adminChamaDetail, 404: errorResponse, ...commonErrors },
    },
    handler: async (request) => ctx.useCases.chamaHub.admin.detail(request.params.id),
  });
}
