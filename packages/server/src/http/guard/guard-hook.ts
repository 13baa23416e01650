import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * One step of the guard: a function of the request that reads the route's `config.gatehouse`, decides for
 * itself whether it applies, and throws a GatehouseError to refuse. Steps run in the order
 * `registerGuard` lists them, each after the previous one let the request through. A step that needs
 * no I/O returns synchronously, so the common case costs no promise.
 */
export type GuardHook = (request: FastifyRequest, reply: FastifyReply) => void | Promise<void>;
