import { randomUUID } from "node:crypto";
import { permissions as corePermissions } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * Every admin route (a route under /api/admin/ that is not one of the per-realm routes every realm
 * has, like /api/admin/auth/login) declares a permission, and the guard enforces exactly that one: an
 * admin holding every other permission gets 403 `permission_denied`, an admin holding only that one
 * succeeds. The route list comes from the server's own route table, so a new route without a fixture
 * below fails this test.
 */
let db: TestDatabase;
let server: TestServer;
const password = "route table password 1";
let n = 0;

interface Probe {
  method: string;
  url: string;
  body?: unknown;
}
type Fixture = () => Promise<Probe>;

async function api(probe: Probe, token: string, csrf: string) {
  const response = await fetch(`${server.baseUrl}${probe.url}`, {
    method: probe.method,
    headers: {
      cookie: `__Host-admin_session=${token}`,
      "x-csrf-token": csrf,
      ...(probe.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: probe.body === undefined ? undefined : JSON.stringify(probe.body),
  });
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : text };
}

async function signedInAdmin(roles: string[]) {
  const admin = await createAccount(server.ctx, "admin", `probe-${++n}@example.com`, password, { roles });
  const { token, session } = await server.ctx.sessions.create("admin", admin.id, { ip: null, userAgent: null });
  return { admin, token, csrf: server.ctx.csrf.tokenFor(session) };
}

const user = async () => createAccount(server.ctx, "user", `target-${++n}@example.com`, password);
const customRole = async (permissions: string[] = []) =>
  server.ctx.useCases.roles.createRole(
    { realm: "admin", principalId: randomUUID(), sessionId: "x" },
    { name: `custom-${++n}`, permissions },
    { ip: null, throttleIp: null, userAgent: null },
  );
const roleId = async (name: string) => {
  const roles = await server.ctx.useCases.roles.listRoles();
  return roles.find((role) => role.name === name)?.id as string;
};

/** A fresh chama (chaired by a fresh user) for the ChamaHub admin routes. */
const chamaId = async () => {
  const chair = await user();
  const chama = await server.ctx.useCases.chamaHub.chamas.create({ realm: "user", principalId: chair.id }, null, {
    name: `Route table chama ${++n}`,
  });
  return chama.id;
};
/** A queued job (a reminder nobody started) for the job routes. */
const jobId = async () =>
  (await server.ctx.useCases.chamaHub.queue.enqueue({ type: "reminders", payload: {}, startedBy: null })).id;

/** A request that succeeds for an admin with the permission, keyed by operationId. Targets are fresh per call. */
const fixtures: Record<string, Fixture> = {
  adminListPrincipals: async () => ({ method: "GET", url: "/api/admin/principals" }),
  adminListPrincipalSessions: async () => ({
    method: "GET",
    url: `/api/admin/principals/${(await user()).id}/sessions`,
  }),
  adminRevokePrincipalSession: async () => {
    const target = await user();
    const { session } = await server.ctx.sessions.create("user", target.id, { ip: null, userAgent: null });
    return { method: "DELETE", url: `/api/admin/principals/${target.id}/sessions/${session.id}` };
  },
  adminRevokePrincipalSessions: async () => ({
    method: "POST",
    url: `/api/admin/principals/${(await user()).id}/sessions/revoke-all`,
  }),
  adminDisablePrincipal: async () => ({ method: "POST", url: `/api/admin/principals/${(await user()).id}/disable` }),
  adminEnablePrincipal: async () => ({ method: "POST", url: `/api/admin/principals/${(await user()).id}/enable` }),
  adminListActiveSessions: async () => ({ method: "GET", url: "/api/admin/active-sessions" }),
  adminSearchAudit: async () => ({ method: "GET", url: "/api/admin/audit" }),
  adminExportAuditCsv: async () => ({ method: "GET", url: "/api/admin/audit.csv" }),
  adminListRoles: async () => ({ method: "GET", url: "/api/admin/roles" }),
  adminCreateRole: async () => ({
    method: "POST",
    url: "/api/admin/roles",
    body: { name: `made-${++n}`, permissions: ["audit.read"] },
  }),
  adminUpdateRole: async () => ({
    method: "PUT",
    url: `/api/admin/roles/${(await customRole()).id}`,
    body: { permissions: ["sessions.read"] },
  }),
  adminDeleteRole: async () => ({ method: "DELETE", url: `/api/admin/roles/${(await customRole()).id}` }),
  adminListAdmins: async () => ({ method: "GET", url: "/api/admin/admins" }),
  adminCreateAdmin: async () => ({
    method: "POST",
    url: "/api/admin/admins",
    body: { email: `created-${++n}@example.com`, password, roleIds: [await roleId("viewer")] },
  }),
  adminGrantRole: async () => {
    const { admin } = await signedInAdmin([]);
    return { method: "POST", url: `/api/admin/admins/${admin.id}/roles`, body: { roleId: await roleId("viewer") } };
  },
  adminRemoveRole: async () => {
    const { admin } = await signedInAdmin(["viewer"]);
    return { method: "DELETE", url: `/api/admin/admins/${admin.id}/roles/${await roleId("viewer")}` };
  },
  adminOverview: async () => ({ method: "GET", url: "/api/admin/overview" }),
  adminListChamas: async () => ({ method: "GET", url: "/api/admin/chamas" }),
  adminGetChama: async () => ({ method: "GET", url: `/api/admin/chamas/${await chamaId()}` }),
  adminDeactivateChama: async () => ({ method: "POST", url: `/api/admin/chamas/${await chamaId()}/deactivate` }),
  adminActivateChama: async () => ({ method: "POST", url: `/api/admin/chamas/${await chamaId()}/activate` }),
  adminListJobs: async () => ({ method: "GET", url: "/api/admin/jobs" }),
  adminGetJob: async () => ({ method: "GET", url: `/api/admin/jobs/${await jobId()}` }),
  adminDisableAdmin: async () => {
    const { admin } = await signedInAdmin(["viewer"]);
    return { method: "POST", url: `/api/admin/admins/${admin.id}/disable` };
  },
};

interface AdminRoute {
  method: string;
  url: string;
  operationId: string;
  permission: string | undefined;
}
let adminRoutes: AdminRoute[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
  const doc = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { operationId: string; "x-gatehouse-permission"?: string }>>;
  };
  const table = server.app.routeTable.filter((route) => route.method !== "HEAD");
  const urls = new Set(table.map((route) => `${route.method} ${route.url}`));
  adminRoutes = table
    .filter((route) => route.url.startsWith("/api/admin/"))
    // The per-realm routes every realm has (sign-in, own sessions, 2FA) are not the admin API.
    .filter((route) => !urls.has(`${route.method} ${route.url.replace("/api/admin/", "/api/user/")}`))
    .map((route) => {
      const operation = doc.paths[route.url.replace(/:(\w+)/g, "{$1}")]?.[route.method.toLowerCase()];
      return {
        method: route.method,
        url: route.url,
        operationId: operation?.operationId ?? `(undocumented ${route.method} ${route.url})`,
        permission: operation?.["x-gatehouse-permission"],
      };
    });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe("the admin route table", () => {
  it("finds the admin API (the walk looks in the right place)", () => {
    expect(adminRoutes.length).toBeGreaterThanOrEqual(18);
    expect(adminRoutes.map((r) => r.operationId)).toEqual(expect.arrayContaining(["adminListRoles", "adminGrantRole"]));
  });

  it("declares a catalogued permission on every /api/admin/* route, visible in the OpenAPI document", () => {
    const catalog = server.ctx.registries.permissions;
    const missing = adminRoutes.filter((route) => !route.permission || !catalog.has(route.permission));
    expect(missing).toEqual([]);
    for (const permission of corePermissions) expect(catalog.has(permission)).toBe(true);
  });

  it("has a request fixture for every admin route (a new route must add one here)", () => {
    expect(adminRoutes.filter((route) => !fixtures[route.operationId]).map((r) => r.operationId)).toEqual([]);
  });

  it("refuses each route to an admin holding every other permission (403 permission_denied) and lets an admin holding only its permission through", async () => {
    const permissions = [...new Set(adminRoutes.map((route) => route.permission as string))];
    const all = server.ctx.registries.permissions.all();
    const probes = new Map<
      string,
      { without: Awaited<ReturnType<typeof signedInAdmin>>; with: Awaited<ReturnType<typeof signedInAdmin>> }
    >();
    for (const permission of permissions) {
      const only = await customRole([permission]);
      const allBut = await customRole(all.filter((p) => p !== permission));
      probes.set(permission, { with: await signedInAdmin([only.name]), without: await signedInAdmin([allBut.name]) });
    }
    const outcomes: string[] = [];
    for (const route of adminRoutes) {
      const fixture = fixtures[route.operationId] as Fixture;
      const probe = probes.get(route.permission as string);
      if (!probe) throw new Error(`no probe for ${route.operationId}`);
      const refused = await api(await fixture(), probe.without.token, probe.without.csrf);
      const allowed = await api(await fixture(), probe.with.token, probe.with.csrf);
      outcomes.push(
        `${route.operationId}: without ${refused.status} ${refused.body?.error?.code ?? ""}, with ${allowed.status >= 200 && allowed.status < 300 ? "2xx" : `${allowed.status} ${JSON.stringify(allowed.body)}`}`,
      );
    }
    expect(outcomes).toEqual(
      adminRoutes.map((route) => `${route.operationId}: without 403 permission_denied, with 2xx`),
    );
  }, 300_000);

  it("a route refusal names the permission it needed", async () => {
    const { token, csrf } = await signedInAdmin(["support"]);
    const refused = await api({ method: "GET", url: "/api/admin/audit" }, token, csrf);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "permission_denied", details: { permission: "audit.read" } });
  });
});
