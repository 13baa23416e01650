import type { Permission, PermissionResolver } from "@gatehouse/core";
import type { RouteOptions } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkPermission, refuseUncheckablePermission } from "../../src/http/guard/permission-check.ts";
import type { RouteMeta } from "../../src/http/route-meta.ts";
import { adminRealm, errorCode, fakeSignedIn, sessionRecord, tinyApp } from "./tiny-app.ts";

const session = sessionRecord({ realm: "admin" });
const signedIn = { "x-test-signed-in": "yes" };
const asked: Array<{ realm: string; principalId: string }> = [];
const resolver: PermissionResolver = {
  permissionsOf: async (principal) => {
    asked.push(principal);
    return new Set<Permission>(["sessions.read"]);
  },
};
let app: Awaited<ReturnType<typeof tinyApp>>;

beforeAll(async () => {
  app = await tinyApp(fakeSignedIn(session), checkPermission(resolver));
  const route = (url: string, permission?: Permission) =>
    app.get(url, { config: { gatehouse: { realm: adminRealm, auth: "required", permission } } }, async () => "ok");
  route("/granted", "sessions.read");
  route("/denied", "audit.read");
  route("/plain");
  await app.ready();
});
afterAll(() => app.close());
beforeEach(() => {
  asked.length = 0;
});

describe("permission check", () => {
  it("asks the resolver about the session's principal and lets a granted permission through", async () => {
    expect((await app.inject({ method: "GET", url: "/granted", headers: signedIn })).statusCode).toBe(200);
    expect(asked).toEqual([{ realm: "admin", principalId: session.principalId }]);
  });

  it("refuses a permission the principal lacks, naming it", async () => {
    const response = await app.inject({ method: "GET", url: "/denied", headers: signedIn });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({ code: "permission_denied", details: { permission: "audit.read" } });
  });

  it("does nothing on a route that declares no permission", async () => {
    expect((await app.inject({ method: "GET", url: "/plain" })).statusCode).toBe(200);
    expect(asked).toEqual([]);
  });

  it("refuses rather than assumes when no session reached it", async () => {
    const response = await app.inject({ method: "GET", url: "/granted" });
    expect(response.statusCode).toBe(401);
    expect(errorCode(response.body)).toBe("not_authenticated");
    expect(asked).toEqual([]);
  });

  it("refuses at boot a permission on a route that reads no session", () => {
    const declaring = (gatehouse: RouteMeta): RouteOptions => ({
      method: "GET",
      url: "/r",
      handler: async () => "",
      config: { gatehouse },
    });
    const check = (gatehouse: RouteMeta) => () => refuseUncheckablePermission(declaring(gatehouse));
    expect(check({ auth: "none", permission: "audit.read" })).toThrow(
      /GET \/r declares a permission but reads no session/,
    );
    expect(check({ realm: adminRealm, auth: "none", permission: "audit.read" })).toThrow(/reads no session/);
    expect(check({ realm: adminRealm, auth: "optional", permission: "audit.read" })).not.toThrow();
    expect(check({ auth: "none" })).not.toThrow();
  });
});
