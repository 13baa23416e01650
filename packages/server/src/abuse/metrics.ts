import { Counter, Registry } from "prom-client";

/**
 * Prometheus counters, one registry per app instance (tests build several apps in one process, and
 * prom-client's global registry would make them share and clash).
 */
export function createMetrics() {
  const registry = new Registry();
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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
