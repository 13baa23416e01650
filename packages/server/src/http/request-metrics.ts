import type { FastifyInstance } from "fastify";
import type { Metrics } from "../abuse/metrics.ts";

/**
 * Observes every answered request in the per-route latency histogram. The label is the matched route
 * pattern (`request.routeOptions.url`), so ids and tokens in paths never become label values; a request
 * no route matched is `unmatched`. `/metrics` itself is not observed (scrapes would dominate).
 */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    if (route === "/metrics") return;
    metrics.requestDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
