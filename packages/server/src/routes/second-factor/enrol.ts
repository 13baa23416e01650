import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";

const enrolment = z
  .object({
    secret: z.string().describe("The base32 seed, for typing into an authenticator app; shown only now"),
    otpauthUri: z.string().describe("otpauth://totp/… URI (what the QR code encodes)"),
    qrSvg: z.string().describe("The QR code of otpauthUri as an SVG document"),
  })
  .meta({ id: "TotpEnrolment" });

/**
 * POST /api/{realm}/auth/totp/enrol: starts enrolment with a new seed (replacing an unconfirmed one).
 * Nothing changes at sign-in until POST …/totp/confirm proves the app produces codes. Admitted for a
 * session sent to enrolment (ADMIN_2FA=required).
 */
export function registerTotpEnrol(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: `/api/${realm.name}/auth/totp/enrol`,
    config: { gatehouse: { realm, auth: "required", stages: ["enrolment"] } },
    schema: {
      tags: [realm.name],
      summary: "Start enrolling an authenticator app",
      operationId: `${realm.name}TotpEnrol`,
      response: { 200: enrolment, 409: errorResponse, ...commonErrors },
    },
    handler: async (request) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      return ctx.useCases.secondFactor.beginEnrolment(session);
    },
  });
}
