import type { FastifyRequest } from "fastify";
import { clientIp } from "../abuse/client-ip.ts";
import type { RequestMeta } from "../app/index.ts";

/** The plain facts about a request that the application layer gets instead of the request. */
export function requestMeta(request: FastifyRequest): RequestMeta {
  const userAgent = request.headers["user-agent"];
  return {
    ip: request.ip ?? null,
    throttleIp: clientIp(request),
    userAgent: typeof userAgent === "string" ? userAgent.slice(0, 512) : null,
  };
}
