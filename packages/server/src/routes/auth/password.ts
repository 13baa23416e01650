import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { recordEvent } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import { authenticatedResponse, commonErrors, password } from "../../http/schemas.ts";
import { actorOf } from "../sessions/session-item.ts";
import { signedIn } from "./respond.ts";

/**
 * POST /api/{realm}/auth/password: change the password. Every other session of the principal in this
 * realm ends; the current one gets a new token (new cookie, new CSRF token in the answer). Other
 * realms, even a principal with the same email there, are untouched.
 */
export function registerChangePassword(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/password`,
    config: { gatehouse: { realm, auth: "required" } },
    schema: {
      tags: [realm.name],
      summary: `Change your ${realm.name} password`,
      body: z.strictObject({ currentPassword: password, newPassword: password }),
      response: { 200: authenticatedResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const changed = await ctx.passwords.change(session, request.body);
      const base = { realm: realm.name, principalId: session.principalId, actor: actorOf(session) };
      await recordEvent(ctx, request, {
        ...base,
        type: "password_changed",
        sessionId: changed.session.id,
        details: { revokedSessions: changed.endedSessionIds.length },
      });
      for (const id of changed.endedSessionIds) {
        await recordEvent(ctx, request, {
          ...base,
          type: "session_revoked",
          sessionId: id,
          details: { reason: "password_changed" },
        });
      }
      return signedIn(ctx, reply, realm, changed);
    },
  });
}
