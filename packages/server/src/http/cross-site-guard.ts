import { GatehouseError } from "@gatehouse/core";
import type { FastifyInstance, FastifyRequest } from "fastify";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Sec-Fetch-Site values of a request made by our own pages, or typed/bookmarked by the user. */
const sameOriginFetchSites = new Set(["same-origin", "none"]);

export const publicPrefix = "/api/public/";

/**
 * Refuses unsafe requests that a browser says come from another site, before any cookie, body or
 * password is looked at — login and signup included (login CSRF). The checks:
 * - `Origin`, when sent, must be exactly the PUBLIC_URL origin (`null` counts as cross-site);
 * - `Sec-Fetch-Site`, when sent, must be `same-origin` or `none` (`same-site` is a sibling subdomain: refused).
 * With neither header the request is not from a modern browser's cross-site context; the CSRF token
 * and SameSite cookies still protect it (docs/csrf.md). `/api/public/*` is sessionless and exempt.
 */
export function registerCrossSiteGuard(app: FastifyInstance, publicOrigin: string): void {
  // Synchronous (a callback hook): most requests are safe methods and leave at once, without a promise.
  app.addHook("onRequest", (request, _reply, done) => {
    // Exempt by the matched route pattern, not the raw URL, so no path trick reaches a real route exempt.
    if (!unsafeMethods.has(request.method) || request.routeOptions.url?.startsWith(publicPrefix)) return done();
    const verdict = crossSiteVerdict(request, publicOrigin);
    done(verdict ? new GatehouseError("cross_site_request", { details: { reason: verdict } }) : undefined);
  });
}

function crossSiteVerdict(request: FastifyRequest, publicOrigin: string): string | null {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== publicOrigin) return "origin";
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && !sameOriginFetchSites.has(String(site))) return "sec_fetch_site";
  return null;
}
