/**
 * @gatehouse/node: ask Gatehouse who is signed in from a Node app. The framework adapters are
 * `@gatehouse/node/fastify`, `@gatehouse/node/express` and `@gatehouse/node/next`.
 */
export { factsFromNodeHeaders, factsFromRequest } from "./facts.ts";
export type {
  GatehouseError,
  GatehouseIdentity,
  GatehousePrincipal,
  GatehouseSession,
  IncomingRequestFacts,
  Verification,
} from "./types.ts";
export { GatehouseVerifier, realmCookieHeader, sessionCookieNames, type VerifierOptions } from "./verifier.ts";
