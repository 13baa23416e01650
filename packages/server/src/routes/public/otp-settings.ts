import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";

const otpSettings = z
  .object({
    enabled: z.boolean(),
    realms: z.array(z.string()).describe("The realms that offer sign-in with an emailed code"),
    codeLength: z.number().int(),
    ttlSeconds: z.number().int(),
    resendCooldownSeconds: z.number().int(),
    captchaRequiredAfterFailures: z.number().int(),
  })
  .meta({ id: "OtpSettings" });

/** GET /api/public/otp-settings: what a sign-in form needs to offer emailed codes. Sessionless, any origin. */
export function registerOtpSettings(app: FastifyInstance, ctx: RouteContext): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/public/otp-settings",
    config: { gatehouse: { auth: "none" } },
    schema: {
      tags: ["public"],
      summary: "One-time-code sign-in settings (sessionless)",
      operationId: "getOtpSettings",
      response: { 200: otpSettings },
    },
    handler: async () => {
      const policy = ctx.abuse.otp.policy;
      const otpRealms = ctx.realms
        .all()
        .filter((realm) => realm.otpSignIn)
        .map((realm) => realm.name);
      return {
        enabled: otpRealms.length > 0,
        realms: otpRealms,
        codeLength: policy.codeLength,
        ttlSeconds: policy.ttlSeconds,
        resendCooldownSeconds: policy.resendCooldownSeconds,
        captchaRequiredAfterFailures: ctx.abuse.throttle.policy.captchaAfterFailures,
      };
    },
  });
}
