import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import {
  type AdminDeps,
  adminActor,
  adminMeta,
  adminPrincipal,
  principalIdParam,
  toAdminPrincipal,
} from "./admin-support.ts";

const enabledPrincipal = z.object({ principal: adminPrincipal }).meta({ id: "AdminPrincipalEnabled" });

/** POST /api/admin/principals/{id}/enable: the account may sign in again (no session comes back). */
export function registerEnablePrincipal(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/admin/principals/:id/enable",
    config: adminMeta(deps.realm, "principals.manage"),
    schema: {
      tags: ["admin"],
      summary: "Enable a disabled account",
      operationId: "adminEnablePrincipal",
      params: principalIdParam,
      response: { 200: enabledPrincipal, 404: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const principal = await ctx.useCases.admin.enableAccount(
        adminActor(request),
        request.params.id,
        requestMeta(request),
      );
      return { principal: toAdminPrincipal(principal) };
    },
  });
}
