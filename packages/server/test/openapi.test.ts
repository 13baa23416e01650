import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RouteMeta } from "../src/http/route-meta.ts";
import { Browser } from "./support/browser.ts";
import { repoRoot } from "./support/child-process.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/** Each Fastify instance's routes with their own meta, seen through an onRoute hook added at creation. */
const routesOf = vi.hoisted(
  () => new WeakMap<object, { method: string; url: string; meta: RouteMeta | undefined }[]>(),
);
vi.mock("fastify", async (importOriginal) => {
  const actual = await importOriginal<typeof import("fastify")>();
  const wrapped = ((options: never) => {
    const app = actual.default(options);
    const routes: { method: string; url: string; meta: RouteMeta | undefined }[] = [];
    routesOf.set(app, routes);
    app.addHook("onRoute", (route) => {
      for (const method of [route.method].flat()) {
        routes.push({ method, url: route.url, meta: route.config?.gatehouse });
      }
    });
    return app;
  }) as unknown as typeof actual.default;
  return { ...actual, default: wrapped };
});

const password = "openapi document password";
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const refName = (schema: unknown) => {
  const match = /^#\/components\/schemas\/(.+)$/.exec((schema as { $ref?: string } | undefined)?.$ref ?? "");
  return match?.[1];
};

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  [extension: `x-${string}`]: unknown;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, any>; required?: string[] } & Record<string, any>>;
    securitySchemes: Record<string, { type: string; in?: string; name?: string }>;
  };
}

/** Every operation of the document, with its path and method. */
function operations(doc: Document) {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );
}

/** `redocly lint` (recommended rules, no network) on a document: its totals and problems. */
function redoclyLint(document: unknown) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-openapi-"));
  try {
    const file = path.join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(document));
    const cli = path.join(repoRoot, "node_modules/@redocly/cli/bin/cli.js");
    const run = spawnSync(process.execPath, [cli, "lint", file, "--extends=recommended", "--format=json"], {
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      timeout: 120_000,
    });
    const report = JSON.parse(run.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string }[];
    };
    return {
      errors: report.totals.errors,
      warnings: report.totals.warnings,
      problems: report.problems.map((p) => `${p.ruleId}: ${p.message}`),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fastify's `:id` is OpenAPI's `{id}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, "{$1}");

let db: TestDatabase;
let n = 0;

/** A server with `env`, its OpenAPI document, and its routes' meta. */
async function documented(env: Record<string, string> = {}) {
  const server = await startTestServer({ database: db.database, env });
  const response = await fetch(`${server.baseUrl}/api/openapi.json`);
  expect(response.status).toBe(200);
  const doc = (await response.json()) as Document;
  const routes = routesOf.get(server.app);
  if (!routes) throw new Error("the fastify mock saw no routes");
  return { server, doc, routes };
}

/** The name of the session cookie the server really sets when signing in to `realm`. */
async function cookieSetBySignIn(server: TestServer, realm: string): Promise<string> {
  n += 1;
  const email = `openapi-${n}@example.com`;
  await createAccount(server.ctx, realm, email, password);
  const login = await new Browser(server.baseUrl).login(realm, email, password);
  expect(login.status).toBe(200);
  expect(login.setCookies).toHaveLength(1);
  return (login.setCookies[0] as string).split("=")[0] as string;
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("the OpenAPI document's shapes and names", () => {
  let server: TestServer;
  let doc: Document;
  let routes: { method: string; url: string; meta: RouteMeta | undefined }[];

  beforeAll(async () => {
    ({ server, doc, routes } = await documented());
  });
  afterAll(async () => {
    await server?.close();
  });

  it("gives every operation a unique camelCase operationId, stable for the known ones", () => {
    const ids = operations(doc).map(({ path, method, operation }) => {
      expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z0-9]*$/);
      return operation.operationId;
    });
    expect(ids.length).toBeGreaterThan(30);
    expect(new Set(ids).size).toBe(ids.length);
    // Clients generate method names from these: renaming one is a breaking change.
    expect(doc.paths["/api/user/auth/login"]?.post?.operationId).toBe("userLogin");
    expect(doc.paths["/api/admin/auth/login"]?.post?.operationId).toBe("adminLogin");
    expect(doc.paths["/api/user/auth/session"]?.get?.operationId).toBe("userGetSession");
    expect(doc.paths["/api/admin/principals"]?.get?.operationId).toBe("adminListPrincipals");
    expect(doc.paths["/api/cron/cleanup-sessions"]?.post?.operationId).toBe("cronCleanupSessions");
    expect(doc.paths["/api/cron/cleanup-sessions"]?.get?.operationId).toBe("cronCleanupSessionsGet");
  });

  it("answers every 2xx JSON body with exactly a $ref to a named component; only the CSV export is not JSON", () => {
    const notJson: string[] = [];
    let json = 0;
    for (const { path, method, operation } of operations(doc)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!status.startsWith("2")) continue;
        const where = `${method} ${path} ${status}`;
        if (!response.content) {
          expect(status, `${where} has no body`).toBe("204");
          continue;
        }
        for (const [type, { schema }] of Object.entries(response.content)) {
          if (type !== "application/json") {
            notJson.push(`${operation.operationId} ${status} ${type}`);
            continue;
          }
          json += 1;
          const name = refName(schema);
          expect(schema, where).toEqual(ref(name ?? "(inline)"));
          expect(doc.components.schemas[name as string], `${where}: component ${name}`).toBeDefined();
        }
      }
    }
    expect(json).toBeGreaterThan(25);
    expect(notJson).toEqual(["adminExportAuditCsv 200 text/csv"]);
  });

  it("answers every error with exactly a $ref to the ErrorResponse component", () => {
    for (const { path, method, operation } of operations(doc)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        expect(response.content, `${method} ${path} ${status}`).toEqual({
          "application/json": { schema: ref("ErrorResponse") },
        });
      }
    }
  });

  it("holds each shape once: every component is referenced, none is a zod input twin", () => {
    const text = JSON.stringify({ ...doc, components: { ...doc.components, schemas: undefined } });
    const referenced = new Set(
      [...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] as string),
    );
    expect(text).toContain(ref("Session").$ref);
    for (const name of Object.keys(doc.components.schemas)) {
      expect(referenced.has(name), `${name} is never referenced`).toBe(true);
      expect(name).not.toMatch(/Input$/);
    }
  });

  it("has one Session component: the authenticated answer references it, every list item extends it field for field", () => {
    const { schemas } = doc.components;
    const session = schemas.Session;
    expect(session).toBeDefined();
    expect(schemas.Authenticated?.properties?.session).toEqual(ref("Session"));
    expect(schemas.CurrentSession?.properties?.session).toEqual(ref("Session"));
    for (const [operationId, answer] of [
      ["userLogin", "Authenticated"],
      ["userGetSession", "CurrentSession"],
      ["adminChangePassword", "Authenticated"],
      ["userVerifyOtp", "Authenticated"],
    ] as const) {
      const operation = operations(doc).find((o) => o.operation.operationId === operationId)?.operation;
      expect(operation?.responses["200"]?.content?.["application/json"]?.schema, operationId).toEqual(ref(answer));
    }
    expect(Object.keys(session?.properties ?? {})).toEqual(
      expect.arrayContaining(["id", "createdAt", "lastActiveAt", "expiresAt", "idleExpiresAt"]),
    );
    // A list item is the Session plus more: every Session field with the same name and the same schema.
    for (const name of ["SessionListItem", "AdminActiveSession"]) {
      const item = schemas[name];
      for (const [field, schema] of Object.entries(session?.properties ?? {})) {
        expect(item?.properties?.[field], `${name}.${field}`).toEqual(schema);
      }
      expect(item?.required).toEqual(expect.arrayContaining(session?.required ?? []));
    }
    expect(schemas.SessionList?.properties?.sessions?.items).toEqual(ref("SessionListItem"));
    expect(schemas.AdminPrincipalSessions?.properties?.sessions?.items).toEqual(ref("SessionListItem"));
    expect(schemas.AdminActiveSessionPage?.properties?.results?.items).toEqual(ref("AdminActiveSession"));
    expect(JSON.stringify(doc)).not.toContain("lastActivityAt");
  });

  it("answers with those shapes: the signed-in session and its list item agree on every shared field", async () => {
    n += 1;
    const email = `shape-${n}@example.com`;
    await createAccount(server.ctx, "user", email, password);
    const browser = new Browser(server.baseUrl);
    const login = await browser.login("user", email, password);
    expect(login.status).toBe(200);
    const session = login.body.session as Record<string, unknown>;
    expect(Object.keys(session).sort()).toEqual(Object.keys(doc.components.schemas.Session?.properties ?? {}).sort());

    const listed = await browser.request("GET", "/api/user/sessions");
    expect(listed.status).toBe(200);
    const item = (listed.body.sessions as Record<string, unknown>[]).find((s) => s.current);
    expect(Object.keys(item ?? {}).sort()).toEqual(
      Object.keys(doc.components.schemas.SessionListItem?.properties ?? {}).sort(),
    );
    for (const [field, value] of Object.entries(session)) expect(item?.[field], field).toEqual(value);
  });

  it("declares each route's session scheme and permission from the route's own meta", () => {
    const byOperation = new Map(operations(doc).map((o) => [`${o.method.toUpperCase()} ${o.path}`, o.operation]));
    let checked = 0;
    for (const { method, url, meta } of routes) {
      const operation = byOperation.get(`${method} ${openApiPath(url)}`);
      if (!operation) continue; // hidden, or HEAD
      checked += 1;
      const where = `${method} ${url}`;
      if (meta?.realm && meta.auth !== "none") {
        // Unsafe methods: the cookie and the CSRF header together.
        const requirement = ["POST", "PUT", "PATCH", "DELETE"].includes(method)
          ? { [`${meta.realm.name}Session`]: [], [`${meta.realm.name}Csrf`]: [] }
          : { [`${meta.realm.name}Session`]: [] };
        expect(operation.security, where).toEqual(meta.auth === "required" ? [requirement] : [requirement, {}]);
      } else if (url.startsWith("/api/cron/")) {
        expect(operation.security, where).toEqual([{ cronSecret: [] }]);
      } else {
        // Sessionless, and saying so: no cookie is read, nothing to send.
        expect(operation.security, where).toEqual([]);
      }
      expect(operation["x-gatehouse-permission"], where).toBe(meta?.permission);
    }
    expect(checked).toBe(operations(doc).length);
    // Spot checks, in case the meta and the document were wrong the same way.
    expect(doc.paths["/api/user/sessions"]?.get?.security).toEqual([{ userSession: [] }]);
    expect(doc.paths["/api/user/auth/logout"]?.post?.security).toEqual([{ userSession: [], userCsrf: [] }, {}]);
    expect(doc.paths["/api/user/sessions/revoke-others"]?.post?.security).toEqual([{ userSession: [], userCsrf: [] }]);
    expect(doc.paths["/api/user/auth/login"]?.post?.security).toEqual([]);
    const listPrincipals = doc.paths["/api/admin/principals"]?.get;
    expect(listPrincipals?.security).toEqual([{ adminSession: [] }]);
    expect(listPrincipals?.["x-gatehouse-permission"]).toBe("principals.read");
    expect(doc.paths["/api/admin/principals/{id}/disable"]?.post?.["x-gatehouse-permission"]).toBe("principals.manage");
  });

  it("describes X-CSRF-Token as each realm's header scheme, and the CSV export as text/csv", () => {
    for (const realm of ["user", "admin"]) {
      expect(doc.components.securitySchemes[`${realm}Csrf`]).toMatchObject({
        type: "apiKey",
        in: "header",
        name: "X-CSRF-Token",
      });
    }
    expect(Object.keys(doc.paths["/api/admin/audit.csv"]?.get?.responses["200"]?.content ?? {})).toEqual(["text/csv"]);
  });

  it("passes @redocly/cli lint with its recommended rules: no error, no warning", () => {
    expect(redoclyLint(doc)).toEqual({ errors: 0, warnings: 0, problems: [] });
  });
});

describe.each<{ cookies: string; env: Record<string, string>; prefix: string }>([
  { cookies: "Secure (PUBLIC_URL on localhost)", env: {}, prefix: "__Host-" },
  {
    cookies: "plain (non-local http PUBLIC_URL with ALLOW_INSECURE_COOKIES)",
    env: { PUBLIC_URL: "http://gatehouse.test:3000", ALLOW_INSECURE_COOKIES: "true" },
    prefix: "",
  },
])("security schemes with $cookies cookies", ({ env, prefix }) => {
  let server: TestServer;
  let doc: Document;

  beforeAll(async () => {
    ({ server, doc } = await documented(env));
  });
  afterAll(async () => {
    await server?.close();
  });

  it("names each realm's cookie exactly as the server sets it", async () => {
    const cookieSchemes = Object.entries(doc.components.securitySchemes).filter(([, s]) => s.in === "cookie");
    expect(cookieSchemes.map(([name]) => name).sort()).toEqual(["adminSession", "userSession"]);
    for (const realm of ["user", "admin"]) {
      const scheme = doc.components.securitySchemes[`${realm}Session`];
      const setByServer = await cookieSetBySignIn(server, realm);
      expect(setByServer).toBe(`${prefix}${realm}_session`);
      expect(scheme).toMatchObject({ type: "apiKey", in: "cookie", name: setByServer });
    }
    expect(doc.components.securitySchemes.cronSecret).toMatchObject({ type: "http", scheme: "bearer" });
  });
});

describe("a third realm from EXTRA_REALMS", () => {
  let server: TestServer;
  let doc: Document;

  beforeAll(async () => {
    ({ server, doc } = await documented({
      EXTRA_REALMS: JSON.stringify([{ name: "partner", idleTimeoutSeconds: 900, absoluteTimeoutSeconds: 28_800 }]),
    }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it("gets its own security scheme, with the cookie its sign-in sets", async () => {
    const setByServer = await cookieSetBySignIn(server, "partner");
    expect(setByServer).toBe("__Host-partner_session");
    expect(doc.components.securitySchemes.partnerSession).toMatchObject({
      type: "apiKey",
      in: "cookie",
      name: setByServer,
    });
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      "adminCsrf",
      "adminSession",
      "cronSecret",
      "partnerCsrf",
      "partnerSession",
      "userCsrf",
      "userSession",
    ]);
  });

  it("gets its own operationIds, and its session routes declare its scheme", () => {
    const ids = operations(doc).map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths["/api/partner/auth/login"]?.post?.operationId).toBe("partnerLogin");
    expect(doc.paths["/api/partner/auth/login"]?.post?.security).toEqual([]);
    expect(doc.paths["/api/partner/auth/session"]?.get).toMatchObject({
      operationId: "partnerGetSession",
      security: [{ partnerSession: [] }],
    });
    expect(doc.paths["/api/partner/sessions"]?.get?.security).toEqual([{ partnerSession: [] }]);
    expect(redoclyLint(doc)).toEqual({ errors: 0, warnings: 0, problems: [] });
    // The partner realm offers no admin API: no operation of it carries a permission.
    for (const { path, operation } of operations(doc)) {
      if (path.startsWith("/api/partner/")) expect(operation["x-gatehouse-permission"], path).toBeUndefined();
    }
  });
});
