import cookie from "@fastify/cookie";
import {
  CsrfTokens,
  createPermissions,
  FixedClock,
  RealmRegistry,
  realmWidePermissions,
  SessionService,
} from "@gatehouse/core";
import { MemorySessionStore } from "@gatehouse/core/testing";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerErrorHandling } from "../../src/http/error-handler.ts";
import { registerGuard } from "../../src/http/guard/index.ts";
import { adminRealm, cryptoRandom, errorCode, userRealm } from "./tiny-app.ts";

const clock = new FixedClock("2026-04-01T10:00:00.000Z");
const sessions = new SessionService({
  store: new MemorySessionStore(),
  clock,
  random: cryptoRandom,
  realms: new RealmRegistry([userRealm, adminRealm]),
});
const csrf = new CsrfTokens(new Uint8Array(32).fill(3));
const principalId = "00000000-0000-4000-8000-000000000001";
let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  await app.register(cookie);
  registerErrorHandling(app, []);
  registerGuard(app, {
    sessions,
    csrf,
    cookies: { secure: false },
    cookieNames: ["user_session", "admin_session"],
    permissions: realmWidePermissions(["admin"], createPermissions()),
  });
  // A user-realm route that declares an admin permission: a user session passes CSRF, then is denied.
  app.post(
    "/user/audit",
    { config: { gatehouse: { realm: userRealm, auth: "required", permission: "audit.read" } } },
    async () => "ok",
  );
  await app.ready();
});
afterAll(() => app.close());

const post = (url: string, cookies: Record<string, string>, headers: Record<string, string> = {}) =>
  app.inject({ method: "POST", url, cookies, headers });

describe("the guard's steps run in order", () => {
  it("refuses a token in the URL before any cookie is read", async () => {
    const validate = vi.spyOn(sessions, "validate");
    const { token } = await sessions.create("user", principalId, { ip: null, userAgent: null });
    const response = await post(`/user/audit?t=${token}`, { user_session: token });
    expect(errorCode(response.body)).toBe("token_in_url");
    expect(validate).not.toHaveBeenCalled();
    validate.mockRestore();
  });

  it("resolves the session before asking for its CSRF token, and checks CSRF before the permission", async () => {
    const { token, session } = await sessions.create("user", principalId, { ip: null, userAgent: null });
    expect(errorCode((await post("/user/audit", {})).body)).toBe("not_authenticated");
    expect(errorCode((await post("/user/audit", { user_session: token })).body)).toBe("csrf_token_invalid");
    const withToken = await post("/user/audit", { user_session: token }, { "x-csrf-token": csrf.tokenFor(session) });
    expect(errorCode(withToken.body)).toBe("permission_denied");
  });
});
