import { GatehouseError } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import { bearerMatches } from "../../http/bearer.ts";
import type { RouteContext } from "../../http/context.ts";

/**
 * GET /metrics: Prometheus text. Protected by `Authorization: Bearer <METRICS_TOKEN>` when that is
 * set; otherwise open, so keep it off the public network (docs/abuse-protection.md).
 */
export function registerMetrics(app: FastifyInstance, ctx: RouteContext): void {
  const token = ctx.config.abuse.metricsToken;
  app.route({
    method: "GET",
    url: "/metrics",
    config: { gatehouse: { auth: "none" } },
    schema: { hide: true },
    handler: async (request, reply) => {
      if (token && !bearerMatches(request.headers.authorization, token)) throw new GatehouseError("not_authenticated");
      const registry = ctx.abuse.metrics.registry;
      return reply
        .header("cache-control", "no-store")
        .type(registry.contentType)
        .send(await registry.metrics());
    },
  });
}
