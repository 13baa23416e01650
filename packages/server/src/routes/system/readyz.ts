import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { errorResponse } from "../../http/schemas.ts";

const readiness = z.object({ status: z.literal("ready"), database: z.string() }).meta({ id: "Readiness" });

/** GET /readyz: the database answers. 503 `storage_unavailable` otherwise. */
export function registerReadyz(app: FastifyInstance, ctx: RouteContext): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/readyz",
    config: { gatehouse: { auth: "none" } },
    schema: {
      tags: ["operations"],
      summary: "Readiness",
      operationId: "checkReadiness",
      response: { 200: readiness, 503: errorResponse },
    },
    handler: async () => {
      return ctx.useCases.system.readiness();
    },
  });
}
