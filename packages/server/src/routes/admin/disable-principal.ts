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
  recordAdminRevocations,
  toAdminPrincipal,
} from "./admin-support.ts";

/**
 * POST /api/admin/principals/{id}/disable: the account can no longer sign in, and every one of its
 * sessions ends at once. An admin cannot disable their own account (no locking oneself out).
 */
export function registerDisablePrincipal(app: FastifyInstance, ctx: AppContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/admin/principals/:id/disable",
    config: adminMeta(deps.realm, "principals.manage"),
    schema: {
      tags: ["admin"],
      summary: "Disable an account and end all its sessions",
      params: principalIdParam,
      response: {
        200: z.object({ principal: adminPrincipal, revokedSessions: z.number().int() }),
        404: errorResponse,
        409: errorResponse,
        ...commonErrors,
      },
    },
    handler: async (request) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const target = await findPrincipalOr404(ctx, request.params.id);
      if (target.id === session.principalId) throw new GatehouseError("self_disable_refused");
      // Mark first, then end sessions: a login racing this sees disabledAt and is refused.
      const updated = await ctx.principals.setDisabledAt(target.realm, target.id, target.disabledAt ?? ctx.clock.now());
      if (!updated) throw new GatehouseError("not_found");
      const ended = await ctx.sessions.revokeAllForPrincipal(target.realm, target.id);
      await recordEvent(ctx, request, {
        type: "account_disabled",
        realm: target.realm,
        principalId: target.id,
        actor: actorOf(session),
        details: { revokedSessions: ended.length },
      });
      await recordAdminRevocations(ctx, request, target, ended, "account_disabled");
      return { principal: toAdminPrincipal(updated), revokedSessions: ended.length };
    },
  });
}
