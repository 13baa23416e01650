import { factsFromRequest } from "./facts.ts";
import type { GatehouseIdentity, Verification } from "./types.ts";
import { GatehouseVerifier, type VerifierOptions } from "./verifier.ts";

/**
 * Next.js helpers over Web `Request`/`Response` only (no import of `next`): they work in route
 * handlers and in `middleware.ts`, on the Node and the edge runtime.
 */

const verifierOf = (options: VerifierOptions | GatehouseVerifier) =>
  options instanceof GatehouseVerifier ? options : new GatehouseVerifier(options);

function refusal(result: Extract<Verification, { ok: false }>): Response {
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  for (const cookie of result.setCookies) headers.append("set-cookie", cookie);
  return new Response(JSON.stringify({ error: result.error }), { status: result.status, headers });
}

/** Asks Gatehouse about a request: `{ ok: true, identity }` or `{ ok: false, status, error }`. */
export function verifySession(options: VerifierOptions | GatehouseVerifier) {
  const verifier = verifierOf(options);
  return (request: Request): Promise<Verification> => verifier.verify(factsFromRequest(request));
}

/**
 * Wraps a route handler (`app/**\/route.ts`): the handler runs only for a signed-in request, with the
 * identity; otherwise Gatehouse's refusal is the answer (401 JSON, 403 on a CSRF failure).
 *
 * ```ts
 * export const GET = withSession({ gatehouseUrl, realm: "user" }, (request, { principal }) => Response.json(principal));
 * ```
 */
export function withSession<Context = unknown>(
  options: VerifierOptions | GatehouseVerifier,
  handler: (request: Request, identity: GatehouseIdentity, context: Context) => Response | Promise<Response>,
) {
  const verify = verifySession(options);
  return async (request: Request, context: Context): Promise<Response> => {
    const result = await verify(request);
    if (!result.ok) return refusal(result);
    return handler(request, result.identity, context);
  };
}

/**
 * For `middleware.ts`: lets a signed-in request through (returns `undefined`, which Next.js treats as
 * "continue"), sends a signed-out page navigation to `signInPath?next=…` (307), and answers other
 * signed-out requests (fetch, API) with Gatehouse's 401/403 JSON. Route handlers behind it still call
 * `withSession` or `verifySession` for the identity (middleware cannot hand it to them without `next`).
 */
export function gatehouseMiddleware(options: VerifierOptions & { signInPath?: string }) {
  const verify = verifySession(options);
  const signInPath = options.signInPath ?? "/login";
  return async (request: Request): Promise<Response | undefined> => {
    const result = await verify(request);
    if (result.ok) return undefined;
    const navigation =
      request.headers.get("sec-fetch-mode") === "navigate" ||
      (request.method === "GET" && (request.headers.get("accept") ?? "").includes("text/html"));
    if (!navigation || result.status !== 401) return refusal(result);
    const url = new URL(request.url);
    const target = new URL(signInPath, url);
    target.searchParams.set("next", url.pathname + url.search);
    const headers = new Headers({ location: target.toString(), "cache-control": "no-store" });
    for (const cookie of result.setCookies) headers.append("set-cookie", cookie);
    return new Response(null, { status: 307, headers });
  };
}

export type { GatehouseIdentity, Verification } from "./types.ts";
export { GatehouseVerifier, type VerifierOptions } from "./verifier.ts";
