import * as crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bearerMatches } from "../src/http/bearer.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { startTestServer, type TestServer } from "./support/test-server.ts";

/** Passes through to the real compare, recording what it was given. */
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

/** METRICS_TOKEN and CRON_SECRET share one check: case-insensitive scheme, constant-time digest compare. */

const metricsToken = "metrics-token-0123456789";
const cronSecret = "cron-secret-0123456789-0123456789-abcdef";
let db: TestDatabase;
let server: TestServer;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({
    database: db.database,
    env: { METRICS_TOKEN: metricsToken, CRON_SECRET: cronSecret },
  });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const endpoints = [
  { name: "metrics", path: "/metrics", secret: metricsToken, refused: "not_authenticated" },
  { name: "cron", path: "/api/cron/cleanup-sessions", secret: cronSecret, refused: "cron_unauthorized" },
];

async function status(path: string, authorization?: string) {
  const response = await fetch(new URL(path, server.baseUrl), {
    headers: authorization === undefined ? {} : { authorization },
  });
  const text = await response.text();
  return { status: response.status, text };
}

describe("bearer secrets", () => {
  for (const { name, path, secret, refused } of endpoints) {
    it(`${name}: accepts the scheme in any case`, async () => {
      for (const scheme of ["Bearer", "bearer", "BEARER"]) {
        expect((await status(path, `${scheme} ${secret}`)).status, scheme).toBe(200);
      }
    });

    it(`${name}: refuses wrong secrets of every length`, async () => {
      const wrong = [
        "",
        "x",
        secret.slice(0, -1),
        `${secret}x`,
        `${"y".repeat(secret.length)}`,
        "z".repeat(secret.length * 4),
        secret.toUpperCase(),
      ];
      const compare = vi.mocked(crypto.timingSafeEqual);
      for (const candidate of wrong) {
        compare.mockClear();
        const reply = await status(path, `Bearer ${candidate}`);
        expect(reply.status, candidate).toBe(401);
        expect(JSON.parse(reply.text).error.code).toBe(refused);
        // One compare of two digests, whatever the length sent: a length mismatch is no shortcut.
        expect(compare.mock.calls.map(([a, b]) => [a.byteLength, b.byteLength])).toEqual([[32, 32]]);
      }
      for (const header of [undefined, secret, `Basic ${secret}`, `Bearer${secret}`, `Bearer ${secret} extra`]) {
        expect((await status(path, header)).status, String(header)).toBe(401);
      }
    });
  }

  it("compares SHA-256 digests, so every attempt compares 32 bytes whatever its length", () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    for (const header of ["Bearer a", `Bearer ${"b".repeat(500)}`, "", "Basic x", `bearer ${metricsToken}`]) {
      compare.mockClear();
      bearerMatches(header, metricsToken);
      expect(compare).toHaveBeenCalledTimes(1);
      const [left, right] = compare.mock.calls[0] as [Buffer, Buffer];
      expect([left.length, right.length]).toEqual([32, 32]);
    }
    expect(bearerMatches(`bearer ${metricsToken}`, metricsToken)).toBe(true);
    expect(bearerMatches("Bearer ", "")).toBe(false);
  });
});
