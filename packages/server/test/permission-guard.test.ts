import { CsrfTokens, createPermissions, defaultRealmPolicies, realmWidePermissions } from "@gatehouse/core";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { registerGuard } from "../src/http/guard/index.ts";

describe("permission declarations", () => {
  it("refuse at boot a route that declares a permission but reads no session", async () => {
    const app = Fastify();
    registerGuard(app, {
      sessions: {} as never,
      csrf: new CsrfTokens(new Uint8Array(32)),
      cookies: { secure: true },
      cookieNames: [],
      permissions: realmWidePermissions(["admin"], createPermissions()),
    });
    expect(() =>
      app.get("/x", { config: { gatehouse: { auth: "none", permission: "audit.read" } } }, async () => "x"),
    ).toThrow(/declares a permission but reads no session/);
    expect(() =>
      app.get(
        "/y",
        { config: { gatehouse: { realm: defaultRealmPolicies.admin, auth: "required", permission: "audit.read" } } },
        async () => "y",
      ),
    ).not.toThrow();
    await app.close();
  });

  it("grant every permission to the admin realm and none to others until roles exist", async () => {
    const registry = createPermissions();
    const resolver = realmWidePermissions(["admin"], registry);
    expect((await resolver.permissionsOf({ realm: "admin", principalId: "a" })).has("sessions.revoke")).toBe(true);
    // A permission a package registers at boot is held too.
    registry.register("chamas.manage");
    expect((await resolver.permissionsOf({ realm: "admin", principalId: "a" })).has("chamas.manage")).toBe(true);
    expect((await resolver.permissionsOf({ realm: "user", principalId: "a" })).size).toBe(0);
  });
});
