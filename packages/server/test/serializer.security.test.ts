import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { authenticatedResponse, errorResponse } from "../src/http/schemas.ts";
import { serializerCompiler } from "../src/http/serializer.ts";

/** A route answering `body` under `schema` with the app's serializer. */
async function answer(schema: z.ZodType, body: unknown) {
  const app = Fastify();
  app.setSerializerCompiler(serializerCompiler);
  app.get("/", { schema: { response: { 200: schema } } }, async () => body);
  const response = await app.inject("/");
  await app.close();
  return response;
}

const at = "2026-12-02T10:00:00.000Z";
const row = {
  principal: {
    id: "5f0c6f3e-1111-4a4a-8a8a-123456789012",
    realm: "user",
    email: "a@example.com",
    displayName: null,
    createdAt: at,
    passwordHash: "$argon2id$secret",
  },
  session: {
    id: "abc",
    realm: "user",
    createdAt: at,
    lastActiveAt: at,
    expiresAt: at,
    idleExpiresAt: at,
    rememberMe: false,
    stage: "full",
    authenticatedAt: at,
    secretHash: "deadbeef",
  },
  csrfToken: "t",
  internal: { note: "never sent" },
};

describe("response serializer", () => {
  it("writes only the declared fields: a row's hashes and extra keys never reach the client", async () => {
    const response = await answer(authenticatedResponse, row);
    expect(response.statusCode).toBe(200);
    const { internal: _internal, ...declared } = row;
    const { passwordHash: _p, ...principal } = row.principal;
    const { secretHash: _s, ...session } = row.session;
    expect(response.json()).toEqual({ ...declared, principal, session });
    expect(response.body).not.toContain("deadbeef");
    expect(response.body).not.toContain("argon2id");
  });

  it("refuses an answer missing a required field rather than sending half of it", async () => {
    const { csrfToken: _c, ...incomplete } = row;
    const response = await answer(authenticatedResponse, incomplete);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("deadbeef");
  });

  it("writes free-form error details as they are", async () => {
    const body = { error: { code: "validation_failed", message: "m", details: { issues: [{ path: ["a", 0] }] } } };
    const response = await answer(errorResponse, { ...body, stack: "Error: at x.ts:1" });
    expect(response.json()).toEqual(body);
  });
});
