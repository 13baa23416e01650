import { GatehouseError } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { recordEvent } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { actorOf } from "../sessions/session-item.ts";
import {
  type AdminDeps,
  adminMeta,
  adminPrincipal,
  findPrincipalOr404,
  principalIdParam,
  toAdminPrincipal,
} from "./admin-support.ts";

/** POST /api/admin/principals/{id}/enable: the account may sign in again (no session comes back). */
export function registerEnablePrincipal(app: FastifyInstance, ctx: AppContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/admin/principals/:id/enable",
    config: adminMeta(deps.realm, "principals.manage"),
    schema: {
      tags: ["admin"],
      summary: "Enable a disabled account",
      params: principalIdParam,
      response: { 200: z.object({ principal: adminPrincipal }), 404: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const target = await findPrincipalOr404(ctx, request.params.id);
      const updated = await ctx.principals.setDisabledAt(target.realm, target.id, null);
      if (!updated) throw new GatehouseError("not_found");
      await recordEvent(ctx, request, {
        type: "account_enabled",
        realm: target.realm,
        principalId: target.id,
        actor: actorOf(session),
      });
      return { principal: toAdminPrincipal(updated) };
    },
  });
}
