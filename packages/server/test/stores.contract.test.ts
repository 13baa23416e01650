import { principalStoreContract, resetTokenStoreContract } from "@gatehouse/core/testing";
import { afterAll, beforeAll } from "vitest";
import { PgPrincipalStore } from "../src/stores/pg-principal-store.ts";
import { PgResetTokenStore } from "../src/stores/pg-reset-token-store.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "./support/test-database.ts";

const name = onPostgres ? "PostgreSQL" : "PGlite";
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

principalStoreContract(name, async () => new PgPrincipalStore(db.database.db));

resetTokenStoreContract(name, async () => {
  const principals = new PgPrincipalStore(db.database.db);
  return {
    store: new PgResetTokenStore(db.database.db),
    createPrincipal: async (realm) => {
      const id = crypto.randomUUID();
      await principals.insert({
        id,
        realm,
        email: `${id}@example.com`,
        displayName: null,
        passwordHash: "$argon2id$fake",
        createdAt: new Date("2026-01-01T00:00:00.000Z"),
      });
      return id;
    },
  };
});
