import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { errorCatalog, errorCodes } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { startTestServer, type TestServer } from "./support/test-server.ts";

/** Every route any Fastify instance in this file registers, seen through an onRoute hook added at creation. */
const registered = vi.hoisted(() => [] as { method: string; url: string; hidden: boolean }[]);
vi.mock("fastify", async (importOriginal) => {
  const actual = await importOriginal<typeof import("fastify")>();
  const wrapped = ((options: never) => {
    const app = actual.default(options);
    app.addHook("onRoute", (route) => {
      for (const method of [route.method].flat()) {
        registered.push({
          method,
          url: route.url,
          hidden: (route.schema as { hide?: boolean } | undefined)?.hide === true,
        });
      }
    });
    return app;
  }) as unknown as typeof actual.default;
  return { ...actual, default: wrapped };
});

const docsPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../docs/errors.md");

/** The code table of docs/errors.md: rows starting with a backticked code, then the HTTP status. */
function documentedCodes(): Map<string, number> {
  const documented = new Map<string, number>();
  for (const line of readFileSync(docsPath, "utf8").split("\n")) {
    const match = /^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/.exec(line);
    if (!match?.[1] || !match[2]) continue;
    expect(documented.has(match[1]), `${match[1]} is listed twice`).toBe(false);
    const cells = line.split("|").slice(1, -1);
    expect(cells.length, `${match[1]}: code, status, meaning, when, what to do`).toBe(5);
    expect(
      cells.every((cell) => cell.trim().length > 0),
      `${match[1]} has an empty cell`,
    ).toBe(true);
    documented.set(match[1], Number(match[2]));
  }
  return documented;
}

describe("docs/errors.md matches the error catalog", () => {
  it("lists exactly the catalogued codes with the same statuses", () => {
    const catalog = new Map(Object.entries(errorCatalog).map(([code, entry]) => [code, entry.status]));
    expect(Object.fromEntries(documentedCodes())).toEqual(Object.fromEntries(catalog));
  });

  it("documents the response shape", () => {
    const text = readFileSync(docsPath, "utf8");
    expect(text).toContain("## Response shape");
    expect(text).toMatch(/"error":\s*\{\s*"code":/);
  });
});

describe("the OpenAPI document", () => {
  let db: TestDatabase;
  let server: TestServer;
  let doc: {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, any> };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestServer({ database: db.database });
    const response = await fetch(`${server.baseUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    doc = (await response.json()) as typeof doc;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("is OpenAPI 3.1.0", () => {
    expect(doc.openapi).toBe("3.1.0");
  });

  it("lists the catalog's codes as the error-code enum", () => {
    const schemas = Object.entries(doc.components.schemas).filter(([name]) => name.startsWith("ErrorResponse"));
    expect(schemas.length).toBeGreaterThan(0);
    for (const [, schema] of schemas) {
      expect(schema.properties.error.properties.code.enum).toEqual(errorCodes);
      expect(schema.properties.error.required).toEqual(["code", "message"]);
    }
  });

  it("contains every /api route the app registered, with its methods, and nothing else", () => {
    // OpenAPI spells path parameters `{id}` where Fastify says `:id`.
    const api = registered
      .filter((r) => r.url.startsWith("/api/") && !r.hidden && r.method !== "HEAD")
      .map((r) => ({ ...r, url: r.url.replace(/:([A-Za-z]+)/g, "{$1}") }));
    // Sanity: the hook saw the auth routes of both realms (a broken mock would make this test vacuous).
    expect(api.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        "POST /api/user/auth/login",
        "POST /api/admin/auth/logout",
        "GET /api/admin/auth/session",
      ]),
    );
    const missing = api.filter((r) => !doc.paths[r.url]?.[r.method.toLowerCase()]);
    expect(missing).toEqual([]);
    const documented = Object.keys(doc.paths).filter((p) => p.startsWith("/api/"));
    expect(documented.sort()).toEqual([...new Set(api.map((r) => r.url))].sort());
  });

  it("points every API operation's error answers at ErrorResponse", () => {
    for (const [url, operations] of Object.entries(doc.paths)) {
      if (!url.startsWith("/api/")) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const responses = (operation as { responses: Record<string, any> }).responses;
        for (const [status, response] of Object.entries(responses)) {
          if (Number(status) < 400) continue;
          const schema = response.content?.["application/json"]?.schema;
          expect(JSON.stringify(schema), `${method} ${url} ${status}`).toMatch(/ErrorResponse/);
        }
      }
    }
  });
});
