import { randomBytes } from "node:crypto";
import cookie from "@fastify/cookie";
import { defaultRealmPolicies, type RandomSource, type SessionRecord } from "@gatehouse/core";
import Fastify, { type FastifyInstance } from "fastify";
import { registerErrorHandling } from "../../src/http/error-handler.ts";
import type { GuardHook } from "../../src/http/guard/guard-hook.ts";

/** A Fastify instance with cookies, the real error shape and `request.auth`, running only the given hooks. */
export async function tinyApp(...hooks: GuardHook[]): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(cookie);
  registerErrorHandling(app, []);
  app.decorateRequest("auth", null);
  // Steps may answer synchronously (guard-hook.ts): each runs inside an async hook, as registerGuard runs them.
  for (const hook of hooks)
    app.addHook("onRequest", async (request, reply) => {
      await hook(request, reply);
    });
  return app;
}

export const cryptoRandom: RandomSource = { bytes: (n) => new Uint8Array(randomBytes(n)) };

export const userRealm = defaultRealmPolicies.user;
export const adminRealm = defaultRealmPolicies.admin;

export function sessionRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = new Date("2026-04-01T10:00:00.000Z");
  return {
    id: "session-1",
    realm: "user",
    principalId: "00000000-0000-4000-8000-000000000001",
    secretHash: "x",
    createdAt: now,
    lastActivityAt: now,
    idleExpiresAt: new Date(now.getTime() + 3_600_000),
    expiresAt: new Date(now.getTime() + 86_400_000),
    rememberMe: false,
    ip: null,
    userAgent: null,
    ...overrides,
  };
}

/** Stands in for session resolution: requests with `x-test-signed-in` carry `session`. */
export function fakeSignedIn(session: SessionRecord = sessionRecord()): GuardHook {
  return async (request) => {
    if (request.headers["x-test-signed-in"]) {
      request.auth = { realm: session.realm === "admin" ? adminRealm : userRealm, session, token: "t" };
    }
  };
}

export const errorCode = (body: string) => (JSON.parse(body) as { error?: { code?: string } }).error?.code;
