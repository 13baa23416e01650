import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors } from "../../http/schemas.ts";

const totpStatus = z
  .object({
    enrolled: z.boolean(),
    required: z.boolean().describe("ADMIN_2FA=required applies to this realm"),
    recoveryCodesLeft: z.number().int(),
  })
  .meta({ id: "TotpStatus" });

/** GET /api/{realm}/auth/totp: whether a TOTP factor is enrolled, required, and recovery codes left. */
export function registerTotpStatus(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: `/api/${realm.name}/auth/totp`,
    config: { gatehouse: { realm, auth: "required", stages: ["enrolment"] } },
    schema: {
      tags: [realm.name],
      summary: "Two-factor status",
      operationId: `${realm.name}TotpStatus`,
      response: { 200: totpStatus, ...commonErrors },
    },
    handler: async (request) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      return ctx.useCases.secondFactor.status(session);
    },
  });
}
