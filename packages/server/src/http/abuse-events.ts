import { GatehouseError, type SecurityEventType } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { RefusalCounter } from "../abuse/metrics.ts";
import { recordEvent } from "../audit/record-event.ts";
import type { AppContext } from "./context.ts";

const eventOf: Partial<Record<string, { type: SecurityEventType; metric?: RefusalCounter }>> = {
  csrf_token_invalid: { type: "csrf_refused", metric: "csrfRefused" },
  cross_site_request: { type: "cross_site_refused", metric: "crossSiteRefused" },
  rate_limited: { type: "throttled", metric: "throttled" },
  captcha_invalid: { type: "captcha_failed", metric: "captchaFailed" },
  // Refused authorisation (ASVS 16.3.2): audited, not a metric of its own.
  permission_denied: { type: "permission_denied" },
};

/**
 * Every refusal of these kinds, wherever it is thrown (guards, handlers), is counted in the metrics
 * (where it has a counter) and recorded as a security event (structured log / audit) with the route, never a token or body.
 */
export function registerAbuseEvents(app: FastifyInstance, ctx: AppContext): void {
  app.addHook("onError", async (request, _reply, error) => {
    if (!(error instanceof GatehouseError)) return;
    const event = eventOf[error.code];
    if (!event) return;
    const realm = request.routeOptions.config?.gatehouse?.realm?.name ?? null;
    if (event.metric) ctx.abuse.metrics[event.metric].inc({ realm: realm ?? "none" });
    await recordEvent(ctx, request, {
      type: event.type,
      realm,
      principalId: request.auth?.session.principalId ?? null,
      sessionId: request.auth?.session.id ?? null,
      details: {
        method: request.method,
        route: request.routeOptions.url ?? null,
        ...(error.details && typeof error.details === "object" ? error.details : {}),
      },
    });
  });
}
