import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { clientIp } from "../../abuse/client-ip.ts";
import type { RouteContext } from "../../http/context.ts";
import { errorResponse } from "../../http/schemas.ts";

const challengeResponse = z
  .object({
    parameters: z
      .object({
        algorithm: z.string(),
        nonce: z.string(),
        salt: z.string(),
        cost: z.number().int(),
        keyLength: z.number().int(),
        keyPrefix: z.string(),
        keySignature: z.string().optional(),
        data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
      })
      .loose(),
    signature: z.string(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: "CaptchaChallenge" });

/**
 * GET /api/public/captcha: a fresh proof-of-work challenge (ALTCHA v2). Solve it and send
 * base64(JSON { challenge, solution }) as `captcha` where one is demanded. Sessionless, any origin.
 */
export function registerCaptcha(app: FastifyInstance, ctx: RouteContext): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/public/captcha",
    config: { gatehouse: { auth: "none" } },
    schema: {
      tags: ["public"],
      summary: "A proof-of-work CAPTCHA challenge (sessionless, single use, expiring)",
      operationId: "getCaptchaChallenge",
      response: { 200: challengeResponse, 429: errorResponse, 503: errorResponse },
    },
    // `.loose()` above: every signed parameter must reach the client unchanged or the signature breaks.
    handler: async (request) => {
      await ctx.abuse.throttle.limitRate("captcha", null, clientIp(request));
      return (await ctx.abuse.captcha.challenge()) as z.infer<typeof challengeResponse>;
    },
  });
}
