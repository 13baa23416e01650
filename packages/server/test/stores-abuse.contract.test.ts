import { otpStoreContract, throttleStoreContract } from "@gatehouse/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgOtpStore } from "../src/stores/pg-otp-store.ts";
import { PgPrincipalStore } from "../src/stores/pg-principal-store.ts";
import { PgThrottleStore } from "../src/stores/pg-throttle-store.ts";
import { RedisThrottleStore } from "../src/stores/redis-throttle-store.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "./support/test-database.ts";

let db: TestDatabase;
const redisStores: RedisThrottleStore[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const store of redisStores) await store.close();
  await db?.drop();
});

const dialect = onPostgres ? "PostgreSQL" : "PGlite";

throttleStoreContract(dialect, async () => new PgThrottleStore(db.database.db));

otpStoreContract(dialect, async (principalIds) => {
  const principals = new PgPrincipalStore(db.database.db);
  for (const id of principalIds) {
    await principals.insert({
      id,
      realm: "user",
      email: `${id}@example.com`,
      displayName: null,
      passwordHash: "$argon2id$fake",
      createdAt: new Date("2026-01-01T00:00:00.000Z"),
    });
  }
  return new PgOtpStore(db.database.db);
});

// Redis is optional locally, never in CI: there a missing REDIS_URL fails instead of skipping.
const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  throttleStoreContract("Redis", async () => {
    const store = new RedisThrottleStore(redisUrl, `gatehouse-test-${crypto.randomUUID()}:`);
    redisStores.push(store);
    return store;
  });
} else if (process.env.CI) {
  describe("ThrottleStore contract: Redis", () => {
    it("needs REDIS_URL in CI", () => {
      expect(redisUrl, "set REDIS_URL: the Redis store must be tested in CI").toBeDefined();
    });
  });
} else {
  describe.skip("ThrottleStore contract: Redis (set REDIS_URL to run)", () => {
    it("runs with REDIS_URL", () => {});
  });
}
