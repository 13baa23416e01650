import type { FastifyReply, FastifyRequest } from "fastify";
import { factsFromNodeHeaders } from "./facts.ts";
import type { GatehouseIdentity } from "./types.ts";
import { GatehouseVerifier, type VerifierOptions } from "./verifier.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Who is signed in, set by `verifySession()` before the handler runs. */
    gatehouse?: GatehouseIdentity;
  }
}

/**
 * A Fastify `onRequest`/`preHandler` hook: asks Gatehouse about the request (its realm's cookie, its
 * method, CSRF token and origin) and either sets `request.gatehouse` or answers Gatehouse's refusal
 * (401 not signed in or expired, 403 CSRF or cross-site) with `{ error: { code, message } }`.
 *
 * ```ts
 * app.get("/me", { onRequest: verifySession({ gatehouseUrl, realm: "user" }) }, (request) => request.gatehouse);
 * ```
 */
export function verifySession(options: VerifierOptions | GatehouseVerifier) {
  const verifier = options instanceof GatehouseVerifier ? options : new GatehouseVerifier(options);
  return async function gatehouseVerifySession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const result = await verifier.verify(factsFromNodeHeaders(request.method, request.headers, request.ip));
    if (result.setCookies.length > 0) reply.header("set-cookie", result.setCookies);
    if (result.ok) {
      request.gatehouse = result.identity;
      return;
    }
    await reply.code(result.status).header("cache-control", "no-store").send({ error: result.error });
  };
}

export type { GatehouseIdentity } from "./types.ts";
export { GatehouseVerifier, type VerifierOptions } from "./verifier.ts";
