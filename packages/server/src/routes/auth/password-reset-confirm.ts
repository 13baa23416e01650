import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { recordEvent, recordRevocations } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import { commonErrors, password } from "../../http/schemas.ts";

/**
 * POST /api/{realm}/auth/password-reset/confirm: sets a new password with an emailed token (single
 * use) and ends every session of that principal in this realm — and nothing in any other realm.
 */
export function registerConfirmPasswordReset(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/password-reset/confirm`,
    config: { gatehouse: { realm, auth: "none" } },
    schema: {
      tags: [realm.name],
      summary: `Set a new ${realm.name} password with a reset link's token`,
      body: z.strictObject({ token: z.string().min(1).max(128), newPassword: password }),
      response: { 200: z.object({ revokedSessions: z.number().int() }), ...commonErrors },
    },
    handler: async (request) => {
      const done = await ctx.passwords.confirmReset(realm.name, request.body);
      const base = { realm: realm.name, principalId: done.principal.id };
      await recordEvent(ctx, request, {
        ...base,
        type: "password_reset_completed",
        details: { revokedSessions: done.endedSessionIds.length },
      });
      await recordRevocations(ctx, request, {
        ...base,
        actor: `${realm.name}:${done.principal.id}`,
        sessionIds: done.endedSessionIds,
        details: { reason: "password_reset" },
      });
      return { revokedSessions: done.endedSessionIds.length };
    },
  });
}
