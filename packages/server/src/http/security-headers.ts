import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import helmet from "helmet";
import { publicPrefix } from "./cross-site-guard.ts";

/** Powerful features no Gatehouse page uses; denying them limits what injected content could do. */
const permissionsPolicy = [
  "accelerometer=()",
  "camera=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "payment=()",
  "usb=()",
  "browsing-topics=()",
].join(", ");

/**
 * One set of options for the plugin and for `securityHeaders`. The type is inferred (literals kept by
 * `as const`): helmet's CJS and ESM typings declare `HelmetOptions` twice, and tsc holds them unrelated.
 */
function helmetOptions(publicUrl: URL) {
  const https = publicUrl.protocol === "https:";
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] as string[] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
    referrerPolicy: { policy: "no-referrer" },
    xFrameOptions: { action: "deny" },
  } as const;
}

/**
 * The same headers as a plain map, for answers written before any hook runs (Fastify's
 * `frameworkErrors`, Node's parser errors). Helmet's output is fixed for fixed options (no nonces),
 * so it is taken once from helmet itself rather than restated here.
 */
export function securityHeaders(publicUrl: URL): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  // Helmet only calls setHeader/removeHeader on the response and never reads the request.
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: () => {},
  } as unknown as ServerResponse;
  helmet(helmetOptions(publicUrl))({} as IncomingMessage, response, () => {});
  headers["permissions-policy"] = permissionsPolicy;
  return Object.freeze(headers);
}

/** Answers that are about sessions; browsers and proxies must never keep them (the API docs may be cached). */
function neverStored(url: string): boolean {
  return url.startsWith("/api/") && !url.startsWith("/api/docs");
}

/**
 * Headers on every response (pages, API, public endpoints, errors): a CSP without inline script,
 * no framing, nosniff, no referrer, HSTS when served over https, a Permissions-Policy; `no-store` on the
 * API. The API docs set their own CSP (swagger-ui `staticCSP`), adjusted in openapi.ts to keep
 * `frame-ancestors 'none'`.
 *
 * Helmet's output is fixed for fixed options, so the header maps are computed once at boot and copied
 * onto each reply by one synchronous hook: `@fastify/helmet` rebuilt helmet's middleware (validating and
 * serialising the CSP) on every request, ~5 % of a session check's CPU (docs/benchmarks.md).
 */
export async function registerSecurityHeaders(app: FastifyInstance, publicUrl: URL): Promise<void> {
  const everywhere = securityHeaders(publicUrl);
  const api = Object.freeze({ ...everywhere, "cache-control": "no-store" });
  const publicApi = Object.freeze({
    ...api,
    // Sessionless endpoints any origin may call, without credentials (never Allow-Credentials).
    "access-control-allow-origin": "*",
    "cross-origin-resource-policy": "cross-origin",
  });

  app.addHook("onRequest", (request, reply, done) => {
    const url = request.url;
    reply.headers(url.startsWith(publicPrefix) ? publicApi : neverStored(url) ? api : everywhere);
    done();
  });

  // Preflight for the public endpoints: GET only, no credentials, nothing read or set.
  app.route({
    method: "OPTIONS",
    url: `${publicPrefix}*`,
    config: { gatehouse: { auth: "none" } },
    schema: { hide: true },
    handler: async (_request, reply) =>
      reply
        .status(204)
        .header("access-control-allow-methods", "GET, OPTIONS")
        .header("access-control-allow-headers", "content-type")
        .header("access-control-max-age", "600")
        .send(),
  });
}
