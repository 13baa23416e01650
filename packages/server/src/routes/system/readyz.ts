import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { errorResponse } from "../../http/schemas.ts";

const readiness = z
  .object({
    status: z.literal("ready"),
    database: z.string().describe("pglite or postgres"),
    checks: z
      .record(z.string(), z.enum(["ok", "unavailable", "pending"]))
      .describe("Each configured dependency: database, migrations, and redis when REDIS_URL is set"),
  })
  .meta({ id: "Readiness" });

/**
 * GET /readyz: every configured dependency answers now — the database, Redis (when configured), and
 * no migration is pending. Otherwise 503 `storage_unavailable` with `details.checks` (each one's state)
 * and `details.failing` (the names), e.g. `["redis"]`. Checked on each call, so a dependency that comes
 * back makes the node ready again without a restart.
 */
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
