import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/**
 * Prometheus metrics, one registry per app instance (tests build several apps in one process, and
 * prom-client's global registry would make them share and clash): the process metrics of prom-client's
 * defaults, per-route request latency, session validations by outcome, and the abuse counters.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = (name: string, help: string, labelNames: string[]) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    csrfRefused: counter("gatehouse_csrf_refused_total", "Unsafe requests refused for a missing or wrong CSRF token", [
      "realm",
    ]),
    crossSiteRefused: counter(
      "gatehouse_cross_site_refused_total",
      "Unsafe requests refused because Origin or Sec-Fetch-Site said cross-site",
      ["realm"],
    ),
    throttled: counter("gatehouse_throttled_total", "Requests refused with 429 by the abuse throttle", ["realm"]),
    captchaFailed: counter("gatehouse_captcha_failed_total", "CAPTCHA solutions that did not verify", ["realm"]),
    /** outcome: `valid`, `missing`, `malformed`, `unknown`, `revoked`, `idle_timeout`, `absolute_timeout`, `unavailable`. */
    sessionValidations: counter(
      "gatehouse_session_validations_total",
      "Session cookies validated by the guard, by realm and outcome",
      ["realm", "outcome"],
    ),
    /** `route` is the route pattern (`/api/user/sessions/:id`), never the raw URL: bounded labels, no ids or tokens. */
    requestDuration: new Histogram({
      name: "gatehouse_http_request_duration_seconds",
      help: "HTTP request latency by route pattern, method and status code",
      labelNames: ["method", "route", "status_code"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

/** The counters a refusal can increment (abuse-events.ts). */
export type Metrics = ReturnType<typeof createMetrics>;
export type RefusalCounter = "csrfRefused" | "crossSiteRefused" | "throttled" | "captchaFailed";
