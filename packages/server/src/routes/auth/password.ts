import { failsWith, type RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { maxCaptchaPayloadLength } from "../../abuse/captcha.ts";
import { throttleSubject } from "../../abuse/client-ip.ts";
import { recordEvent, recordRevocations } from "../../audit/record-event.ts";
import type { AppContext } from "../../http/context.ts";
import { authenticatedResponse, commonErrors, errorResponse, password } from "../../http/schemas.ts";
import { actorOf } from "../sessions/session-item.ts";
import { signedIn } from "./respond.ts";

/**
 * POST /api/{realm}/auth/password: change the password. Every other session of the principal in this
 * realm ends; the current one gets a new token (new cookie, new CSRF token in the answer). Other
 * realms, even a principal with the same email there, are untouched. Wrong current passwords are
 * throttled like logins (per IP and per account), so a stolen session is no password-guessing oracle.
 */
export function registerChangePassword(app: FastifyInstance, ctx: AppContext, realm: RealmPolicy): void {
  const action = `password-change:${realm.name}`;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/password`,
    config: { gatehouse: { realm, auth: "required" } },
    schema: {
      tags: [realm.name],
      summary: `Change your ${realm.name} password`,
      body: z.strictObject({
        currentPassword: password,
        newPassword: password,
        captcha: z.string().max(maxCaptchaPayloadLength).optional(),
      }),
      response: { 200: authenticatedResponse, 429: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const { captcha, ...passwords } = request.body;
      const subject = throttleSubject(request, session.principalId);
      const changed = await ctx.abuse.throttle.attempt(
        action,
        subject,
        captcha,
        () => ctx.passwords.change(session, passwords),
        { isFailure: failsWith("invalid_credentials") },
      );
      const base = { realm: realm.name, principalId: session.principalId, actor: actorOf(session) };
      await recordEvent(ctx, request, {
        ...base,
        type: "password_changed",
        sessionId: changed.session.id,
        details: { revokedSessions: changed.endedSessionIds.length },
      });
      await recordRevocations(ctx, request, {
        ...base,
        sessionIds: changed.endedSessionIds,
        details: { reason: "password_changed" },
      });
      return signedIn(ctx, reply, realm, changed);
    },
  });
}
