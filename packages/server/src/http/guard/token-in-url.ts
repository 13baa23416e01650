import { GatehouseError, maxTokenLength, tokenPattern } from "@gatehouse/core";
import type { FastifyRequest } from "fastify";
import type { GuardHook } from "./guard-hook.ts";

/** A query key or value that is, or once trimmed is, a session token (core's one token format). */
export function looksLikeToken(value: unknown): boolean {
  return typeof value === "string" && value.length <= maxTokenLength * 2 && tokenPattern.test(value.trim());
}

/**
 * Tokens are read from the realm's cookie only; one in the URL is refused outright (it would leak into
 * logs, history and Referer), on every route, sessionless ones included.
 */
export function refuseTokenInUrl(cookieNames: readonly string[]): GuardHook {
  return (request: FastifyRequest) => {
    const query = request.query as Record<string, unknown> | undefined;
    if (!query) return;
    for (const [key, value] of Object.entries(query)) {
      const values = Array.isArray(value) ? value : [value];
      // The key too: `?<token>` puts the token in the URL just as well as `?token=<token>`.
      if (cookieNames.includes(key) || looksLikeToken(key) || values.some(looksLikeToken)) {
        throw new GatehouseError("token_in_url");
      }
    }
  };
}
