import { FixedClock } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliMeta } from "../src/app/index.ts";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * Roles and admins through the admin API (issue 18): changes take effect on the very next request,
 * rotate the affected admin's token (SPEC §2), are audited with their actor, and sensitive ones need a
 * re-authentication within 5 minutes (step-up).
 */
let db: TestDatabase;
let server: TestServer;
const clock = new FixedClock("2026-04-01T08:00:00.000Z");
const password = "roles password 123456";
let n = 0;

async function signedIn(roles: string[]) {
  const email = `roles-${++n}@example.com`;
  const admin = await createAccount(server.ctx, "admin", email, password, { roles });
  const browser = new Browser(server.baseUrl);
  expect((await browser.login("admin", email, password)).status).toBe(200);
  return { admin, browser, email };
}

const roleId = async (browser: Browser, name: string) =>
  ((await browser.request("GET", "/api/admin/roles")).body.roles as Array<{ id: string; name: string }>).find(
    (role) => role.name === name,
  )?.id as string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, clock });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe("roles", () => {
  it("lists the built-in roles and the permission catalog; owner grants everything", async () => {
    const { browser } = await signedIn(["owner"]);
    const list = await browser.request("GET", "/api/admin/roles");
    expect(list.status).toBe(200);
    const names = list.body.roles.map((r: { name: string }) => r.name);
    expect(names.slice(0, 4).sort()).toEqual(["owner", "security", "support", "viewer"]);
    expect(list.body.permissions).toEqual(expect.arrayContaining(["roles.manage", "admins.manage", "audit.read"]));
    const owner = list.body.roles.find((r: { name: string }) => r.name === "owner");
    expect(owner.permissions.sort()).toEqual([...list.body.permissions].sort());
    expect((await browser.session("admin")).body.permissions.sort()).toEqual([...list.body.permissions].sort());
  });

  it("creates, edits and deletes a custom role; refuses unknown permissions, taken names, used roles and built-in deletions", async () => {
    const { browser, admin } = await signedIn(["owner"]);
    const unknown = await browser.request("POST", "/api/admin/roles", {
      realm: "admin",
      body: { name: "bad", permissions: ["users.fly"] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("unknown_permission");
    const created = await browser.request("POST", "/api/admin/roles", {
      realm: "admin",
      body: { name: "auditor", description: "Reads the log", permissions: ["audit.read"] },
    });
    expect(created.status).toBe(201);
    const taken = await browser.request("POST", "/api/admin/roles", {
      realm: "admin",
      body: { name: "viewer", permissions: [] },
    });
    expect(taken.body.error.code).toBe("role_name_taken");
    const edited = await browser.request("PUT", `/api/admin/roles/${created.body.id}`, {
      realm: "admin",
      body: { permissions: ["audit.read", "sessions.read"] },
    });
    expect(edited.body.permissions).toEqual(["audit.read", "sessions.read"]);
    const holder = await signedIn(["auditor"]);
    const inUse = await browser.request("DELETE", `/api/admin/roles/${created.body.id}`, { realm: "admin" });
    expect(inUse.body.error.code).toBe("role_in_use");
    const builtin = await browser.request("DELETE", `/api/admin/roles/${await roleId(browser, "viewer")}`, {
      realm: "admin",
    });
    expect(builtin.body.error.code).toBe("builtin_role_refused");
    const ownerEdit = await browser.request("PUT", `/api/admin/roles/${await roleId(browser, "owner")}`, {
      realm: "admin",
      body: { permissions: [] },
    });
    expect(ownerEdit.body.error.code).toBe("builtin_role_refused");
    const removed = await browser.request("DELETE", `/api/admin/admins/${holder.admin.id}/roles/${created.body.id}`, {
      realm: "admin",
    });
    expect(removed.status).toBe(204);
    expect((await browser.request("DELETE", `/api/admin/roles/${created.body.id}`, { realm: "admin" })).status).toBe(
      204,
    );
    const mine = server.audit.events.filter((e) => e.actor === `admin:${admin.id}`).map((e) => e.type);
    expect(mine).toEqual(expect.arrayContaining(["role_created", "role_updated", "role_removed", "role_deleted"]));
  });

  it("a granted, edited or removed permission applies at the admin's very next request, which also gets a new token", async () => {
    const owner = await signedIn(["owner"]);
    const support = await signedIn(["support"]);
    const before = await support.browser.request("GET", "/api/admin/audit");
    expect(before.status).toBe(403);
    expect(before.body.error.code).toBe("permission_denied");
    const oldToken = await support.browser.cookie("__Host-admin_session");

    const viewer = await roleId(owner.browser, "viewer");
    const granted = await owner.browser.request("POST", `/api/admin/admins/${support.admin.id}/roles`, {
      realm: "admin",
      body: { roleId: viewer },
    });
    expect(granted.status).toBe(200);
    // The very next request: allowed, and answered with a new token and CSRF token.
    const after = await support.browser.request("GET", "/api/admin/audit", { realm: "admin" });
    expect(after.status).toBe(200);
    const newToken = await support.browser.cookie("__Host-admin_session");
    expect(newToken).toBeDefined();
    expect(newToken).not.toBe(oldToken);
    expect(after.headers.get("x-csrf-token")).toBeTruthy();
    const stale = await fetch(`${server.baseUrl}/api/admin/auth/session`, {
      headers: { cookie: `__Host-admin_session=${oldToken}` },
    });
    expect(stale.status).toBe(401);
    // The new CSRF token works for unsafe requests; the session answers with the new permissions.
    expect((await support.browser.session("admin")).body.permissions).toContain("audit.read");

    const removed = await owner.browser.request("DELETE", `/api/admin/admins/${support.admin.id}/roles/${viewer}`, {
      realm: "admin",
    });
    expect(removed.status).toBe(204);
    expect((await support.browser.request("GET", "/api/admin/audit", { realm: "admin" })).status).toBe(403);

    // Editing a role the admin holds applies at once too.
    const supportRole = await roleId(owner.browser, "support");
    const edited = await owner.browser.request("PUT", `/api/admin/roles/${supportRole}`, {
      realm: "admin",
      body: { permissions: ["principals.read", "sessions.read", "audit.read"] },
    });
    expect(edited.status).toBe(200);
    expect((await support.browser.request("GET", "/api/admin/audit", { realm: "admin" })).status).toBe(200);
    await owner.browser.request("PUT", `/api/admin/roles/${supportRole}`, {
      realm: "admin",
      body: { permissions: ["principals.read", "sessions.read"] },
    });
    expect((await support.browser.request("GET", "/api/admin/audit", { realm: "admin" })).status).toBe(403);
    expect(
      server.audit.events.filter((e) => e.type === "session_rotated" && e.principalId === support.admin.id).length,
    ).toBeGreaterThanOrEqual(3);
  });
});

describe("admins", () => {
  it("creates an admin with roles, lists admins with roles and 2FA status, and disables one (never the last owner)", async () => {
    const owner = await signedIn(["owner"]);
    const created = await owner.browser.request("POST", "/api/admin/admins", {
      realm: "admin",
      body: { email: "new-admin@example.com", password, roleIds: [await roleId(owner.browser, "security")] },
    });
    expect(created.status).toBe(201);
    expect(created.body.roles.map((r: { name: string }) => r.name)).toEqual(["security"]);
    const list = await owner.browser.request("GET", "/api/admin/admins?q=new-admin");
    expect(list.body.results[0]).toMatchObject({ email: "new-admin@example.com", secondFactor: false });
    const newcomer = new Browser(server.baseUrl);
    expect((await newcomer.login("admin", "new-admin@example.com", password)).status).toBe(200);
    expect((await newcomer.request("GET", "/api/admin/audit")).status).toBe(200);

    const disabled = await owner.browser.request("POST", `/api/admin/admins/${created.body.id}/disable`, {
      realm: "admin",
    });
    expect(disabled.status).toBe(200);
    expect((await newcomer.request("GET", "/api/admin/audit")).status).toBe(401);
    // principals.manage alone does not reach admins.
    const security = await signedIn(["security"]);
    const viaPrincipals = await security.browser.request("POST", `/api/admin/principals/${owner.admin.id}/disable`, {
      realm: "admin",
    });
    expect(viaPrincipals.status).toBe(403);
    expect(viaPrincipals.body.error).toMatchObject({
      code: "permission_denied",
      details: { permission: "admins.manage" },
    });
    const events = server.audit.events.filter((e) => e.actor === `admin:${owner.admin.id}`).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(["principal_created", "role_granted", "account_disabled"]));
  });

  it("makes the first admin created through the use case (CLI, demo seed) owner and no later one, and keeps an owner", async () => {
    const fresh = await createTestDatabase();
    const alone = await startTestServer({ database: fresh.database, clock });
    try {
      const create = (email: string) =>
        alone.ctx.useCases.createPrincipal({ realm: "admin", email, password }, cliMeta, "cli");
      const first = await create("first@example.com");
      const second = await create("second@example.com");
      const permissionsOf = async (principalId: string) =>
        alone.ctx.permissions.permissionsOf({ realm: "admin", principalId });
      expect([...(await permissionsOf(first.id))]).toContain("roles.manage");
      expect((await permissionsOf(second.id)).size).toBe(0);

      // The only owner cannot lose the role, nor be disabled by someone else.
      const browser = new Browser(alone.baseUrl);
      await browser.login("admin", "first@example.com", password);
      const ownerId = await roleId(browser, "owner");
      const removal = await browser.request("DELETE", `/api/admin/admins/${first.id}/roles/${ownerId}`, {
        realm: "admin",
      });
      expect(removal.body.error.code).toBe("last_owner_refused");
      await alone.ctx.useCases.roles.grantRoleByName(second, "security", "test", cliMeta);
      const other = new Browser(alone.baseUrl);
      await other.login("admin", "second@example.com", password);
      // security lacks admins.manage; give second a custom role with it to try disabling the last owner.
      const manage = await browser.request("POST", "/api/admin/roles", {
        realm: "admin",
        body: { name: "admin-managers", permissions: ["admins.manage"] },
      });
      await browser.request("POST", `/api/admin/admins/${second.id}/roles`, {
        realm: "admin",
        body: { roleId: manage.body.id },
      });
      const disable = await other.request("POST", `/api/admin/admins/${first.id}/disable`, { realm: "admin" });
      expect(disable.body.error.code).toBe("last_owner_refused");
      // A second owner makes both possible.
      await alone.ctx.useCases.roles.grantRoleByName(second, "owner", "test", cliMeta);
      expect(
        (await browser.request("DELETE", `/api/admin/admins/${first.id}/roles/${ownerId}`, { realm: "admin" })).status,
      ).toBe(204);
    } finally {
      await alone.close();
      await fresh.drop();
    }
  }, 180_000);
});

describe("step-up", () => {
  it("a sensitive action 6 minutes after sign-in needs a re-authentication; after it, succeeds; the audit log records both", async () => {
    const { browser, admin } = await signedIn(["owner"]);
    clock.advance({ minutes: 6 });
    // Not sensitive: still fine.
    expect((await browser.request("GET", "/api/admin/roles")).status).toBe(200);
    const refused = await browser.request("POST", "/api/admin/roles", {
      realm: "admin",
      body: { name: "late-role", permissions: [] },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "step_up_required", details: { withinSeconds: 300 } });
    const wrong = await browser.request("POST", "/api/admin/auth/reauthenticate", {
      realm: "admin",
      body: { password: "not the password 123" },
    });
    expect(wrong.status).toBe(401);
    const reauth = await browser.request("POST", "/api/admin/auth/reauthenticate", {
      realm: "admin",
      body: { password },
    });
    expect(reauth.status).toBe(200);
    expect(reauth.body.authenticatedAt).toBe(clock.now().toISOString());
    const retried = await browser.request("POST", "/api/admin/roles", {
      realm: "admin",
      body: { name: "late-role", permissions: [] },
    });
    expect(retried.status).toBe(201);
    const mine = server.audit.events.filter((e) => e.principalId === admin.id || e.actor === `admin:${admin.id}`);
    expect(mine.map((e) => e.type)).toEqual(
      expect.arrayContaining(["step_up_refused", "reauthenticated", "role_created"]),
    );
    // Five minutes after the re-authentication it is needed again.
    clock.advance({ minutes: 5, seconds: 1 });
    const again = await browser.request("POST", "/api/admin/roles", {
      realm: "admin",
      body: { name: "later-role", permissions: [] },
    });
    expect(again.body.error.code).toBe("step_up_required");
  });

  it("guards every sensitive operation the issue names, and says so in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; "x-gatehouse-step-up"?: boolean }>>;
    };
    const sensitive = Object.values(doc.paths)
      .flatMap((methods) => Object.values(methods))
      .filter((operation) => operation["x-gatehouse-step-up"] === true)
      .map((operation) => operation.operationId)
      .sort();
    expect(sensitive).toEqual(
      [
        "adminCreateAdmin",
        "adminCreateRole",
        "adminDeleteRole",
        "adminDisableAdmin",
        "adminDisablePrincipal",
        "adminExportAuditCsv",
        "adminGrantRole",
        "adminRemoveRole",
        "adminRevokePrincipalSession",
        "adminRevokePrincipalSessions",
        "adminTotpDisable",
        "adminUpdateRole",
        "userTotpDisable",
      ].sort(),
    );
  });
});
