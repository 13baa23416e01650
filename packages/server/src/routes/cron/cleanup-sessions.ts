import { GatehouseError } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { bearerMatches } from "../../http/bearer.ts";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";

const cleanupReport = z
  .object({
    ran: z.boolean(),
    deleted: z.record(z.string(), z.number().int()),
    batches: z.number().int(),
    durationMs: z.number().int(),
  })
  .meta({ id: "CleanupReport" });

/** One route per method, so each has its own operationId (a scheduler may only be able to send GET). */
const methods = [
  { method: "POST", operationId: "cronCleanupSessions" },
  { method: "GET", operationId: "cronCleanupSessionsGet" },
] as const;

/**
 * GET|POST /api/cron/cleanup-sessions with `Authorization: Bearer <CRON_SECRET>`: runs the cleanup
 * now and reports counts. 404 when no CRON_SECRET is configured (the endpoint does not exist), 401 on
 * a missing or wrong secret. Never reads a cookie.
 */
export function registerCronCleanup(app: FastifyInstance, ctx: RouteContext): void {
  for (const { method, operationId } of methods) {
    app.withTypeProvider<ZodTypeProvider>().route({
      method,
      url: "/api/cron/cleanup-sessions",
      config: { gatehouse: { auth: "none" } },
      schema: {
        tags: ["cron"],
        summary: "Delete expired sessions and reset tokens now",
        operationId,
        security: [{ cronSecret: [] }],
        response: { 200: cleanupReport, 404: errorResponse, ...commonErrors },
      },
      handler: async (request) => {
        const secret = ctx.config.cronSecret;
        if (!secret) throw new GatehouseError("not_found");
        if (!bearerMatches(request.headers.authorization, secret)) {
          throw new GatehouseError("cron_unauthorized", { headers: { "www-authenticate": "Bearer" } });
        }
        return ctx.useCases.system.cleanup();
      },
    });
  }
}
