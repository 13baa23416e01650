import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { lockDataDir } from "./data-dir-lock.ts";
import { pluginMigrations } from "./plugin-migrations.ts";
import { schema } from "./schema/index.ts";
import { unreachable } from "./unreachable.ts";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  readonly db: Db;
  readonly dialect: "pglite" | "postgres";
  /**
   * Applies the committed SQL migrations (idempotent; serialised across nodes on PostgreSQL): the
   * server's, then each domain package's own set with its own journal table (db/plugin-migrations.ts).
   */
  migrate(): Promise<void>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /** How many committed migrations this database has not applied yet (readiness, doctor). */
  pendingMigrations(): Promise<number>;
  /**
   * Takes an exclusive, non-blocking lock for a job, or returns null when another holder has it.
   * PostgreSQL: `pg_try_advisory_lock` on a dedicated connection, so it excludes every node. PGlite:
   * an in-process lock (its advisory lock excludes nothing; the data-dir lock file already makes this
   * process the only one). Call the returned function to release.
   */
  tryLock(key: number): Promise<(() => Promise<void>) | null>;
  close(): Promise<void>;
}

/**
 * The committed SQL migrations: `../../drizzle` from this source file, or `./drizzle` beside the
 * production bundle (`npm run build` copies them to `dist/drizzle`).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const migrationsFolder =
  [path.resolve(here, "../../drizzle"), path.resolve(here, "drizzle")].find((dir) =>
    fs.existsSync(path.join(dir, "meta", "_journal.json")),
  ) ?? path.resolve(here, "../../drizzle");

/** When each committed migration was generated (drizzle records the newest applied one). */
let committed: number[] | null = null;
function committedMigrations(): number[] {
  committed ??= readMigrationFiles({ migrationsFolder }).map((migration) => migration.folderMillis);
  return committed;
}

/** Committed migrations newer than the newest one the database recorded (drizzle's own rule). */
async function countPending(db: Db): Promise<number> {
  const result = await db
    .execute(sql`select coalesce(max(created_at), 0)::text as last from drizzle.__drizzle_migrations`)
    .catch((error: unknown) => {
      // 42P01 / 3F000: no migrations table or schema yet — nothing applied.
      const code =
        (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      if (code === "42P01" || code === "3F000") return { rows: [{ last: "0" }] };
      throw error;
    });
  const last = Number((result as unknown as { rows: { last: string }[] }).rows[0]?.last ?? 0);
  return committedMigrations().filter((when) => when > last).length;
}
/** Arbitrary constant: the advisory lock that serialises migrations across nodes. */
const migrationLockKey = 7_302_519_884;

export type DatabaseOptions =
  | { databaseUrl: string; poolSize?: number }
  /** `dataDir` undefined = in memory (tests). */
  | { databaseUrl?: undefined; dataDir: string | undefined };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize)
    : openPglite("dataDir" in options ? options.dataDir : undefined);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  let client: PGlite;
  try {
    client = dataDir ? new PGlite(path.join(dataDir, "pglite")) : new PGlite();
    await client.waitReady;
  } catch (error) {
    release();
    throw error;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const heldKeys = new Set<number>();
  return {
    db,
    dialect: "pglite",
    migrate: async () => {
      await migratePglite(db as never, { migrationsFolder });
      for (const set of pluginMigrations) await migratePglite(db as never, set);
    },
    ping: async () => {
      await client.query("select 1");
    },
    pendingMigrations: () => countPending(db),
    tryLock: async (key) => {
      if (heldKeys.has(key)) return null;
      heldKeys.add(key);
      return async () => {
        heldKeys.delete(key);
      };
    },
    close: async () => {
      try {
        if (!client.closed) await client.close();
      } finally {
        release();
      }
    },
  };
}

async function openPostgres(databaseUrl: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  return {
    db,
    dialect: "postgres",
    migrate: async () => {
      // The first connection of a start: a failure here is a configuration problem, said as one.
      const client = await pool.connect().catch((error: unknown) => {
        throw unreachable(error, databaseUrl);
      });
      try {
        await client.query("select pg_advisory_lock($1)", [migrationLockKey]);
        const migrator = drizzleNodePg(client, { schema });
        await migrateNodePg(migrator, { migrationsFolder });
        for (const set of pluginMigrations) await migrateNodePg(migrator, set);
      } finally {
        await client.query("select pg_advisory_unlock($1)", [migrationLockKey]).catch(() => {});
        client.release();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    pendingMigrations: () => countPending(db),
    tryLock: async (key) => {
      const connection = await pool.connect();
      try {
        const result = await connection.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [key]);
        if (!result.rows[0]?.locked) {
          connection.release();
          return null;
        }
      } catch (error) {
        connection.release(true);
        throw error;
      }
      return async () => {
        try {
          await connection.query("select pg_advisory_unlock($1)", [key]);
          connection.release();
        } catch {
          connection.release(true); // a broken connection drops its session locks with it
        }
      };
    },
    close: () => pool.end(),
  };
}
