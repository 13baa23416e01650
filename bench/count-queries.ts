/**
 * How many SQL statements one request runs, and which: the real app (buildServices + buildApp, as
 * main.ts wires them) on a fresh database, with the database driver's `query` wrapped to record each
 * statement. Requests go through `app.inject` (no socket). Prints a markdown list.
 *
 *   npx tsx bench/count-queries.ts                      # in-memory PGlite
 *   DATABASE_URL=postgres://…/fresh_db npx tsx bench/count-queries.ts
 */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { loadConfig } from "../packages/server/src/config.ts";
import { openDatabase } from "../packages/server/src/db/database.ts";
import { buildApp } from "../packages/server/src/http/app.ts";
import { createLogger } from "../packages/server/src/http/logger.ts";
import { buildServices } from "../packages/server/src/services.ts";

const recorded: string[] = [];
let recording = false;
function record(text: unknown): void {
  if (!recording) return;
  const sql = typeof text === "string" ? text : ((text as { text?: string })?.text ?? String(text));
  recorded.push(sql.replace(/\s+/g, " ").trim());
}
// Every statement of the node-postgres pool goes through Client#query; PGlite's through query/exec.
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  record(args[0]);
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;
const pgliteQuery = PGlite.prototype.query;
PGlite.prototype.query = function (this: PGlite, ...args: unknown[]) {
  record(args[0]);
  return (pgliteQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof PGlite.prototype.query;

async function main(): Promise<void> {
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PUBLIC_URL: "http://localhost:3000",
    DATA_DIR: "/tmp/gatehouse-count-queries",
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
  });
  const database = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: undefined },
  );
  await database.migrate();
  const logger = createLogger({ level: "silent" });
  const ctx = buildServices(config, database, { sessionSecret: "count-queries-secret-0123456789abcdef", logger });
  const app = await buildApp(ctx, { logger });
  const password = "Count-Queries-Password-42";
  await ctx.auth.createPrincipal("user", { email: "count@example.com", password });

  const measure = async (title: string, request: () => Promise<{ statusCode: number }>) => {
    recorded.length = 0;
    recording = true;
    const response = await request();
    // Work the route left for after the answer (audit) lands within a tick or two.
    await new Promise((resolve) => setTimeout(resolve, 200));
    recording = false;
    process.stdout.write(`\n### ${title}: HTTP ${response.statusCode}, ${recorded.length} SQL statements\n\n`);
    for (const sql of recorded) process.stdout.write(`- \`${sql.length > 220 ? `${sql.slice(0, 220)}…` : sql}\`\n`);
  };

  let cookie = "";
  await measure("POST /api/user/auth/login", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/user/auth/login",
      payload: { email: "count@example.com", password },
    });
    const set = response.headers["set-cookie"];
    cookie = String(Array.isArray(set) ? set[0] : set).split(";")[0] ?? "";
    return response;
  });
  await measure("GET /api/user/auth/session?passive=true", () =>
    app.inject({ method: "GET", url: "/api/user/auth/session?passive=true", headers: { cookie } }),
  );
  await measure("GET /api/user/auth/session (not passive, activity recorded at most once a minute)", () =>
    app.inject({ method: "GET", url: "/api/user/auth/session", headers: { cookie } }),
  );
  await measure("GET /api/user/auth/session with an unknown token", () =>
    app.inject({
      method: "GET",
      url: "/api/user/auth/session?passive=true",
      headers: { cookie: `${cookie.split("=")[0]}=AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` },
    }),
  );
  await app.close();
  await database.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
