import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "../../src/db/database.ts";

/**
 * The database the integration suite runs on: PostgreSQL when DATABASE_URL is set (a fresh database
 * is created on that server for each call and dropped afterwards), else an in-memory PGlite.
 * CI runs the suite once each way. With DATABASE_URL set and the server down, tests fail — never skip.
 */
export interface TestDatabase {
  database: Database;
  /** The URL of the fresh PostgreSQL database, to reopen it (restart tests); undefined on PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

export const onPostgres = Boolean(process.env.DATABASE_URL);

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ dataDir: undefined });
    await database.migrate();
    return { database, url: undefined, drop: () => database.close() };
  }
  const name = `gatehouse_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  await database.migrate();
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close().catch(() => {});
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
