import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { type Config, ConfigError, envSchema, loadConfig } from "../config.ts";
import { unknownVariables } from "../config-unknown.ts";
import { DataDirLockedError } from "../db/data-dir-lock.ts";
import { type Database, openDatabase } from "../db/database.ts";
import { describeDatabaseUrl, unreachable } from "../db/unreachable.ts";
import { configurationRows, type DoctorRow } from "./checks.ts";

export type { DoctorRow, Status } from "./checks.ts";

/** Clock skew against the database: within `warn` ms passes, within `fail` ms warns. */
const skewMs = { warn: 2000, fail: 30_000 };
const timeoutMs = 3000;

/**
 * Checks a deployment as configured by `env`, read-only: the configuration itself, unknown variables,
 * then the database (reachable, migrations current, clock skew) and Redis when configured.
 * Never prints a secret or a URL's password.
 */
export async function runDoctor(env: NodeJS.ProcessEnv): Promise<DoctorRow[]> {
  const rows: DoctorRow[] = unknownVariables(env, Object.keys(envSchema.shape)).map(({ name, suggestion }) => ({
    check: name,
    status: "warn",
    detail: `not a Gatehouse variable, ignored${suggestion ? ` (did you mean ${suggestion}?)` : ""}`,
  }));
  let config: Readonly<Config>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One row per refused variable: "Invalid configuration:\n  NAME: reason" or "NAME: reason".
    for (const line of error.message.split("\n").filter((l) => l.includes(":") && !l.startsWith("Invalid"))) {
      const [name = "configuration", ...rest] = line.trim().split(":");
      rows.push({ check: name.trim(), status: "fail", detail: rest.join(":").trim() });
    }
    return rows;
  }
  rows.push(...configurationRows(config));
  rows.push(...(await databaseRows(config)));
  if (config.redisUrl) rows.push(await redisRow(config.redisUrl));
  return rows;
}

async function databaseRows(config: Readonly<Config>): Promise<DoctorRow[]> {
  let database: Database;
  if (config.databaseUrl) {
    database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 1 });
  } else {
    const dir = path.join(config.dataDir, "pglite");
    if (!fs.existsSync(dir)) {
      return [{ check: "database", status: "warn", detail: `no database yet at ${dir} (the first start creates it)` }];
    }
    try {
      database = await openDatabase({ dataDir: config.dataDir });
    } catch (error) {
      if (!(error instanceof DataDirLockedError)) throw error;
      return [{ check: "database", status: "warn", detail: `${error.message} Not checked.` }];
    }
  }
  const where = config.databaseUrl ? `PostgreSQL at ${describeDatabaseUrl(config.databaseUrl)}` : "PGlite";
  try {
    try {
      await withTimeout(database.ping());
    } catch (error) {
      const detail = config.databaseUrl ? unreachable(error, config.databaseUrl).message : String(error);
      return [{ check: "database", status: "fail", detail }];
    }
    const rows: DoctorRow[] = [{ check: "database", status: "pass", detail: `${where} answers` }];
    const pending = await database.pendingMigrations();
    rows.push(
      pending === 0
        ? { check: "migrations", status: "pass", detail: "all applied" }
        : {
            check: "migrations",
            status: "warn",
            detail: `${pending} pending: the server applies them on start, or run the CLI's migrate`,
          },
    );
    rows.push(await clockRow(database, config));
    return rows;
  } finally {
    await database.close().catch(() => {});
  }
}

async function clockRow(database: Database, config: Readonly<Config>): Promise<DoctorRow> {
  if (!config.databaseUrl) return { check: "clock", status: "pass", detail: "embedded database: one clock" };
  const sentAt = Date.now();
  const result = await database.db.execute(sql`select (extract(epoch from clock_timestamp()) * 1000)::float8 as now`);
  const receivedAt = Date.now();
  const databaseNow = Number((result as unknown as { rows: { now: number }[] }).rows[0]?.now);
  const skew = Math.round(databaseNow - (sentAt + receivedAt) / 2);
  const detail = `${skew >= 0 ? "+" : ""}${skew} ms against the database (round trip ${receivedAt - sentAt} ms)`;
  const size = Math.abs(skew);
  return { check: "clock", status: size <= skewMs.warn ? "pass" : size <= skewMs.fail ? "warn" : "fail", detail };
}

async function redisRow(redisUrl: string): Promise<DoctorRow> {
  const url = new URL(redisUrl);
  const where = `${url.hostname}:${url.port || "6379"}`;
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  redis.on("error", (error: Error) => {
    lastError = error;
  });
  try {
    await withTimeout(redis.connect());
    await withTimeout(redis.ping());
    return { check: "redis", status: "pass", detail: `${where} answers` };
  } catch (error) {
    const cause = lastError ?? error;
    const reason = (cause instanceof Error ? cause.message : String(cause)).split("\n")[0];
    return { check: "redis", status: "fail", detail: `REDIS_URL: cannot reach Redis at ${where} (${reason})` };
  } finally {
    redis.disconnect();
  }
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The rows as a table: check, status, detail. */
export function formatDoctorTable(rows: readonly DoctorRow[]): string {
  const width = Math.max(5, ...rows.map((row) => row.check.length));
  const line = (check: string, status: string, detail: string) =>
    `${check.padEnd(width)}  ${status.padEnd(6)}  ${detail}`;
  const counts = (["pass", "warn", "fail"] as const).map((s) => `${rows.filter((r) => r.status === s).length} ${s}`);
  return [
    line("check", "status", "detail"),
    ...rows.map((r) => line(r.check, r.status, r.detail)),
    "",
    counts.join(", "),
  ]
    .join("\n")
    .concat("\n");
}
