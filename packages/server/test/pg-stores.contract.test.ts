import { systemClock } from "@gatehouse/core";
import { principalStoreContract, sessionStoreContract } from "@gatehouse/core/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { CachingPrincipalStore } from "../src/stores/caching-principal-store.ts";
import { CachingSessionStore, localInvalidationBus } from "../src/stores/caching-session-store.ts";
import { PgPrincipalStore } from "../src/stores/pg-principal-store.ts";
import { PgSessionStore } from "../src/stores/pg-session-store.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "./support/test-database.ts";

let db: TestDatabase;
const name = onPostgres ? "PostgreSQL" : "PGlite";

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Each test gets empty tables, plus the principals the session contract's records refer to. */
async function emptyTables(): Promise<void> {
  await db.database.db.execute(sql`truncate sessions, principals cascade`);
  await db.database.db.execute(sql`
    insert into principals (id, realm, email, password_hash) values
    ('00000000-0000-4000-8000-000000000001', 'user', 'c1@example.com', 'x'),
    ('00000000-0000-4000-8000-0000000000aa', 'user', 'c2@example.com', 'x'),
    ('00000000-0000-4000-8000-0000000000bb', 'user', 'c3@example.com', 'x'),
    ('00000000-0000-4000-8000-0000000000cc', 'user', 'c4@example.com', 'x')`);
}

sessionStoreContract(name, async () => {
  await emptyTables();
  return new PgSessionStore(db.database.db);
});
// The validation cache must keep every promise the store makes (it wraps the store in production).
sessionStoreContract(`${name} behind the session cache`, async () => {
  await emptyTables();
  return new CachingSessionStore(new PgSessionStore(db.database.db), {
    clock: systemClock,
    bus: localInvalidationBus,
    maxEntries: 1000,
  });
});
principalStoreContract(name, async () => {
  await emptyTables();
  return new PgPrincipalStore(db.database.db);
});
principalStoreContract(`${name} behind the principal cache`, async () => {
  await emptyTables();
  return new CachingPrincipalStore(new PgPrincipalStore(db.database.db), {
    bus: localInvalidationBus,
    maxEntries: 1000,
  });
});
