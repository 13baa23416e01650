import type { IncomingRequestFacts } from "./types.ts";

type HeaderValue = string | string[] | undefined;

const one = (value: HeaderValue): string | undefined => (Array.isArray(value) ? value.join(", ") : value);

/** The facts about a request, from Node-style headers (Fastify, Express). */
export function factsFromNodeHeaders(
  method: string,
  headers: Record<string, HeaderValue>,
  clientIp: string | undefined,
): IncomingRequestFacts {
  return {
    method,
    cookie: one(headers.cookie),
    csrfToken: one(headers["x-csrf-token"]),
    origin: one(headers.origin),
    secFetchSite: one(headers["sec-fetch-site"]),
    forwardedFor: clientIp,
    passive: one(headers["x-gatehouse-passive"]) === "true",
  };
}

/** The facts about a Web `Request` (Next.js route handlers and middleware, other fetch-style servers). */
export function factsFromRequest(request: Request): IncomingRequestFacts {
  const header = (name: string) => request.headers.get(name) ?? undefined;
  return {
    method: request.method,
    cookie: header("cookie"),
    csrfToken: header("x-csrf-token"),
    origin: header("origin"),
    secFetchSite: header("sec-fetch-site"),
    forwardedFor: header("x-forwarded-for"),
    passive: header("x-gatehouse-passive") === "true",
  };
}
