import type { FastifyRequest } from "fastify";

/** Methods that change nothing (RFC 9110 §9.2.1 safe methods Gatehouse or a proxied app may see). */
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The method the CSRF and cross-site checks judge. On a forward-auth route it is the proxied request's
 * method, from `X-Forwarded-Method` (nginx sets it from `$request_method`; Traefik and Caddy always
 * send it, overwriting a client's); without that header, the verify request's own method.
 */
export function judgedMethod(request: FastifyRequest): string {
  if (request.routeOptions.config?.gatehouse?.forwardAuth) {
    const forwarded = request.headers["x-forwarded-method"];
    // Repeated headers arrive joined ("GET, POST"): not a safe method, so judged unsafe.
    if (typeof forwarded === "string" && forwarded.trim() !== "") return forwarded.trim().toUpperCase();
  }
  return request.method;
}

/**
 * Whether a request may change state, so it needs the CSRF token and a same-site origin: anything but
 * GET, HEAD and OPTIONS (a proxied app may accept any method, so unknown ones count as unsafe).
 */
export function isUnsafeRequest(request: FastifyRequest): boolean {
  return !safeMethods.has(judgedMethod(request));
}
