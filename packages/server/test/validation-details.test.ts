import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const doc = readFileSync(path.join(import.meta.dirname, "../../../docs/errors.md"), "utf8");

/** The `problem` column of docs/errors.md's validation table. */
function documentedProblems(): string[] {
  const section = /<!-- validation-problems:start -->\n([\s\S]*?)\n<!-- validation-problems:end -->/.exec(doc)?.[1];
  expect(section, "docs/errors.md has the validation-problems table").toBeDefined();
  return (section ?? "")
    .split("\n")
    .slice(2)
    .map((line) => /^\|\s*`([a-z_]+)`/.exec(line)?.[1] ?? `unparsable row: ${line}`);
}

interface Detail {
  location: string;
  path: string;
  problem: string;
}

let db: TestDatabase;
let server: TestServer;
let sessionCookie: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
  const user = await createAccount(server.ctx, "user", "details@example.com", "details password 12345");
  const { token } = await server.ctx.sessions.create("user", user.id, { ip: null, userAgent: null });
  sessionCookie = `__Host-user_session=${token}`;
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

async function details(url: string, init?: RequestInit): Promise<Detail[]> {
  const response = await fetch(`${server.baseUrl}${url}`, init);
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { code: string; details: Detail[] } };
  expect(body.error.code).toBe("validation_failed");
  return body.error.details;
}

const login = (body: unknown) =>
  details("/api/user/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const valid = { email: "someone@example.com", password: "a password" };

describe("validation_failed details", () => {
  const seen = new Set<string>();
  const expectOne = async (got: Promise<Detail[]>, expected: Detail) => {
    const list = await got;
    for (const detail of list) seen.add(detail.problem);
    expect(list).toEqual([expected]);
  };

  it("name the zod issue code of each failing field, with its location and path", async () => {
    await expectOne(login({ ...valid, email: 5 }), { location: "body", path: "/email", problem: "invalid_type" });
    await expectOne(login({ password: "a password" }), { location: "body", path: "/email", problem: "invalid_type" });
    await expectOne(login({ ...valid, email: "not-an-email" }), {
      location: "body",
      path: "/email",
      problem: "invalid_format",
    });
    await expectOne(login({ ...valid, password: "a\u0000b" }), {
      location: "body",
      path: "/password",
      problem: "invalid_format",
    });
    await expectOne(login({ ...valid, password: "" }), { location: "body", path: "/password", problem: "too_small" });
    await expectOne(login({ ...valid, password: "x".repeat(5000) }), {
      location: "body",
      path: "/password",
      problem: "too_big",
    });
    await expectOne(login({ ...valid, extra: 1 }), { location: "body", path: "/", problem: "unrecognized_keys" });
    await expectOne(details("/api/user/auth/session?passive=maybe", { headers: { cookie: sessionCookie } }), {
      location: "querystring",
      path: "/passive",
      problem: "invalid_value",
    });
  });

  it("use exactly the problems docs/errors.md lists, each one seen", () => {
    expect([...seen].sort()).toEqual(documentedProblems().sort());
  });

  it("never echo the submitted value", async () => {
    const response = await fetch(`${server.baseUrl}/api/user/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "leak-me-not", password: "secret-value-123" }),
    });
    const text = await response.text();
    expect(text).not.toContain("leak-me-not");
    expect(text).not.toContain("secret-value-123");
  });
});
