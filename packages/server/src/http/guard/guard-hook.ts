import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * One step of the guard: an `onRequest` hook that reads the route's `config.gatehouse`, decides for
 * itself whether it applies, and throws a GatehouseError to refuse. Steps run in the order
 * `registerGuard` lists them, each after the previous one let the request through.
 */
export type GuardHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
