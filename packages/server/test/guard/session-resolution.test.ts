import { FixedClock, GatehouseError, RealmRegistry, SessionService } from "@gatehouse/core";
import { MemorySessionStore } from "@gatehouse/core/testing";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resolveSession } from "../../src/http/guard/session-resolution.ts";
import type { RouteMeta } from "../../src/http/route-meta.ts";
import { adminRealm, cryptoRandom, errorCode, tinyApp, userRealm } from "./tiny-app.ts";

const clock = new FixedClock("2026-04-01T10:00:00.000Z");
const store = new MemorySessionStore();
const sessions = new SessionService({
  store,
  clock,
  random: cryptoRandom,
  realms: new RealmRegistry([userRealm, adminRealm]),
});
const principalId = "00000000-0000-4000-8000-000000000001";
const context = { ip: null, userAgent: null };
let invalidTokens = 0;
let refuseInvalid = false;
let app: Awaited<ReturnType<typeof tinyApp>>;

const routes: Record<string, RouteMeta> = {
  "/none": { realm: userRealm, auth: "none" },
  "/user/optional": { realm: userRealm, auth: "optional" },
  "/user/required": { realm: userRealm, auth: "required" },
  "/user/permission": { realm: userRealm, auth: "optional", permission: "audit.read" },
  "/admin/required": { realm: adminRealm, auth: "required" },
  "/admin/status": { realm: adminRealm, auth: "required", passiveCheck: true },
};

beforeAll(async () => {
  app = await tinyApp(
    resolveSession({
      sessions,
      cookies: { secure: false },
      onInvalidToken: async () => {
        invalidTokens++;
        if (refuseInvalid) throw new GatehouseError("rate_limited");
      },
    }),
  );
  for (const [url, gatehouse] of Object.entries(routes)) {
    app.get(url, { config: { gatehouse } }, async (request) => ({
      realm: request.auth?.realm.name ?? null,
      sessionId: request.auth?.session.id ?? null,
      token: request.auth?.token ?? null,
    }));
  }
  await app.ready();
});
afterAll(() => app.close());
beforeEach(() => {
  invalidTokens = 0;
  refuseInvalid = false;
  vi.restoreAllMocks();
});

const get = (url: string, cookies: Record<string, string> = {}) => app.inject({ method: "GET", url, cookies });
const setCookies = (response: LightMyRequestResponse) => [response.headers["set-cookie"] ?? []].flat();
const signIn = async (realm: "user" | "admin") => sessions.create(realm, principalId, context);

describe("session resolution", () => {
  it("never reads a cookie on a route with auth: none", async () => {
    const validate = vi.spyOn(sessions, "validate");
    const { token } = await signIn("user");
    const response = await get("/none", { user_session: token });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ realm: null, sessionId: null, token: null });
    expect(validate).not.toHaveBeenCalled();
    expect(setCookies(response)).toEqual([]);
  });

  it("sets request.auth from the realm's valid cookie", async () => {
    const { token, session } = await signIn("user");
    const response = await get("/user/optional", { user_session: token });
    expect(response.json()).toEqual({ realm: "user", sessionId: session.id, token });
    expect(setCookies(response)).toEqual([]);
  });

  it("lets an optional route through without a session, clearing and reporting nothing", async () => {
    const response = await get("/user/optional");
    expect(response.statusCode).toBe(200);
    expect(response.json().sessionId).toBeNull();
    expect(setCookies(response)).toEqual([]);
    expect(invalidTokens).toBe(0);
  });

  it("reads only its own realm's cookie", async () => {
    const admin = await signIn("admin");
    const user = await signIn("user");
    // The admin session does not sign in to a user route, and its cookie is left alone.
    const other = await get("/user/required", { admin_session: admin.token });
    expect(other.statusCode).toBe(401);
    expect(errorCode(other.body)).toBe("not_authenticated");
    expect(setCookies(other)).toEqual([]);
    // A user token in the admin cookie is unknown there: cleared in the admin realm only, and reported.
    const swapped = await get("/admin/required", { admin_session: user.token, user_session: user.token });
    expect(errorCode(swapped.body)).toBe("not_authenticated");
    expect(setCookies(swapped)).toHaveLength(1);
    expect(setCookies(swapped)[0]).toMatch(/^admin_session=;/);
    expect(invalidTokens).toBe(1);
  });

  it("clears and reports a malformed cookie; an optional route still answers", async () => {
    const response = await get("/user/optional", { user_session: "not-a-token" });
    expect(response.statusCode).toBe(200);
    expect(setCookies(response)[0]).toMatch(/^user_session=;/);
    expect(invalidTokens).toBe(1);
  });

  it("refuses when the invalid-token report throws (abuse throttle)", async () => {
    refuseInvalid = true;
    const response = await get("/user/optional", { user_session: "not-a-token" });
    expect(response.statusCode).toBe(429);
    expect(errorCode(response.body)).toBe("rate_limited");
  });

  it("answers session_expired with the reason, clears the cookie, and does not report it as invalid", async () => {
    const admin = await signIn("admin");
    const user = await signIn("user");
    try {
      clock.set(admin.session.idleExpiresAt);
      const idle = await get("/admin/required", { admin_session: admin.token });
      expect(idle.statusCode).toBe(401);
      expect(idle.json().error).toMatchObject({ code: "session_expired", details: { reason: "idle_timeout" } });
      expect(setCookies(idle)[0]).toMatch(/^admin_session=;/);

      clock.set(user.session.expiresAt);
      const absolute = await get("/user/required", { user_session: user.token });
      expect(absolute.json().error).toMatchObject({ code: "session_expired", details: { reason: "absolute_timeout" } });
      // An optional route answers without the session, and still clears the dead cookie.
      const optional = await get("/user/optional", { user_session: user.token });
      expect(optional.statusCode).toBe(200);
      expect(setCookies(optional)[0]).toMatch(/^user_session=;/);
      expect(invalidTokens).toBe(0);
    } finally {
      clock.set("2026-04-01T10:00:00.000Z");
    }
  });

  it("answers not_authenticated on a required route without a cookie", async () => {
    const response = await get("/user/required");
    expect(response.statusCode).toBe(401);
    expect(errorCode(response.body)).toBe("not_authenticated");
  });

  it("demands a session where a permission is declared, even on an optional route", async () => {
    const response = await get("/user/permission");
    expect(response.statusCode).toBe(401);
    expect(errorCode(response.body)).toBe("not_authenticated");
  });

  it("records no activity for ?passive=true, and only where the route allows passive checks", async () => {
    const { token, session } = await signIn("admin");
    clock.advance({ minutes: 2 }); // past the admin realm's 90 s activity interval
    try {
      expect((await get("/admin/status?passive=true", { admin_session: token })).statusCode).toBe(200);
      expect((await store.findById(session.id))?.lastActivityAt).toEqual(session.lastActivityAt);
      expect((await get("/admin/required?passive=true", { admin_session: token })).statusCode).toBe(200);
      expect((await store.findById(session.id))?.lastActivityAt).toEqual(clock.now());
    } finally {
      clock.set("2026-04-01T10:00:00.000Z");
    }
  });
});
