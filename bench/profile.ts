/**
 * "Where the time goes": CPU-profiles the server under the authenticated session check.
 *
 *   npx tsx bench/profile.ts pglite|postgres [SECONDS]
 *
 * Starts the server pinned to CPU 0 with `node --cpu-prof` (LOG_LEVEL=warn, NODE_ENV=development, a
 * fresh data dir or a fresh PostgreSQL database with one user and one session minted beforehand),
 * loads `GET /api/user/auth/session?passive=true` with that session from autocannon pinned to CPU 1
 * (50 connections, 3 s warm-up, then SECONDS, default 15), stops the server with SIGINT so the profile
 * is written, and prints the profile of the measured window: self time per package and function,
 * inclusive time per function and per named group (PGlite, drizzle, pino, helmet, …).
 * PROFILE_CPU=0 runs the same load without the profiler; PROFILE_LOG_LEVEL=info changes the log level.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runLoad } from "./lib/load.ts";
import { cpuSnapshot, foreignCores } from "./lib/machine.ts";
import { createDatabase, databaseUrl, dropDatabase } from "./lib/postgres.ts";
import { runScript, serverCpu, spawnPinned, stopChild, waitForHttp } from "./lib/processes.ts";
import { type ProfileGroup, type ProfileSummary, summarise } from "./profile-summary.ts";
import type { BenchAccounts } from "./setup-sessions.ts";

/** Inclusive groups: a sample counts for a group when any frame on its stack matches. */
export const profileGroups: Record<string, ProfileGroup> = {
  "PGlite (JS + wasm)": /@electric-sql\/pglite|^wasm-function|wasm:\/\//,
  "node-postgres (pg, pg-protocol)": /(^| )pg\/lib|pg-protocol\//,
  "drizzle-orm (query build, run, map)": /drizzle-orm\//,
  "session guard hook (resolveSession, incl. its query)": /session-resolution\.ts/,
  "route handler (principal lookup, body)": /routes\/auth\/session\.ts/,
  "token check (parseToken, secretMatches: SHA-256)": /core\/src\/tokens\.ts/,
  "CSRF token (HMAC-SHA256 per answer)": /core\/src\/csrf\.ts/,
  "pino (logger)": /(^| )pino\/|@pinojs\//,
  "helmet (security headers)": /helmet\//,
  "response serialization (zod type provider)": /fastify-type-provider-zod\/|(^| )zod\//,
  swagger: /@fastify\/swagger/,
  "cookie parsing / setting": /@fastify\/cookie\/|(^| )cookie\//,
  "fastify core + find-my-way + avvio": /(^| )fastify\/|find-my-way\/|avvio\//,
  "node http + net (parse, write, sockets)":
    /node:_http|node:net|node:internal\/stream_base|^writev|node:internal\/streams/,
  "garbage collector": /^\(garbage collector\)/,
  "  socket writes to PostgreSQL (writev, self)": { leaf: /^writev/, stack: /(^| )pg\/lib/ },
  "  socket writes of HTTP answers (writev, self)": {
    leaf: /^writev/,
    stack: /node:_http_outgoing|fastify\/lib\/reply/,
  },
};

async function main(): Promise<void> {
  const kind = process.argv[2] === "postgres" ? "postgres" : "pglite";
  const seconds = Number(process.argv[3] ?? "15");
  /** PROFILE_CPU=0: the same run without the profiler (its overhead; A/B of PROFILE_LOG_LEVEL). */
  const profiling = process.env.PROFILE_CPU !== "0";
  const work = mkdtempSync(path.join(os.tmpdir(), "gatehouse-profile-"));
  const profDir = path.join(work, "prof");
  const dbName = `gatehouse_profile_${process.pid}`;
  const env: NodeJS.ProcessEnv =
    kind === "postgres" ? { DATABASE_URL: databaseUrl(dbName), DATA_DIR: work } : { DATA_DIR: path.join(work, "data") };
  if (kind === "postgres") await createDatabase(dbName);
  try {
    const out = path.join(work, "accounts.json");
    await runScript("bench/setup-sessions.ts", {
      ...env,
      BENCH_OUT: out,
      BENCH_PASSWORD: "Profile-Password-42",
      BENCH_SESSIONS: "0",
    });
    const accounts = JSON.parse(readFileSync(out, "utf8")) as BenchAccounts;
    const port = 4290;
    const spawned = performance.now();
    const child = spawnPinned(serverCpu, "packages/server/src/main.ts", {
      env: {
        ...env,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: process.env.PROFILE_LOG_LEVEL ?? "warn",
        NODE_ENV: "development",
      },
      nodeArgs: profiling ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [],
      logFile: path.join(work, "server.log"),
    });
    const origin = `http://127.0.0.1:${port}`;
    await waitForHttp(`${origin}/healthz`, child, 90_000);
    const session = { cookieName: "__Host-user_session", tokens: [accounts.hotToken] };
    const spec = { origin, path: "/api/user/auth/session?passive=true", connections: 50, session };
    await runLoad({ ...spec, durationSeconds: 3 });
    const before = cpuSnapshot();
    const from = performance.now() - spawned;
    const result = await runLoad({ ...spec, durationSeconds: seconds });
    const to = performance.now() - spawned;
    const foreign = foreignCores(before, cpuSnapshot(), (to - from) / 1000);
    await stopChild(child, 30_000);
    if (!profiling) {
      process.stdout.write(
        `# ${kind}, LOG_LEVEL=${process.env.PROFILE_LOG_LEVEL ?? "warn"}, no profiler: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}, others' CPU ${foreign.toFixed(2)} cores\n`,
      );
      return;
    }

    const main = readdirSync(profDir)
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => path.join(profDir, f))
      .sort((a, b) => statSync(b).size - statSync(a).size)[0];
    if (!main) throw new Error("no .cpuprofile written");
    const summary = summarise(
      JSON.parse(readFileSync(main, "utf8")),
      { fromMs: from + 250, toMs: to - 250 },
      profileGroups,
    );
    print(kind, result, foreign, summary, main);
  } finally {
    if (kind === "postgres") await dropDatabase(dbName).catch(() => {});
  }
}

function print(
  kind: string,
  result: Awaited<ReturnType<typeof runLoad>>,
  foreign: number,
  summary: ProfileSummary,
  file: string,
): void {
  const pct = (ms: number) => `${((100 * ms) / summary.busyMs).toFixed(1).padStart(5)} %`;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`# ${kind}: ${result.rps.toFixed(0)} req/s (with the profiler on), p50 ${result.p50} ms, p99 ${result.p99} ms`);
  out(`non-2xx ${result.non2xx}, others' CPU during the run ${foreign.toFixed(2)} cores; profile ${file}`);
  out(
    `window ${(summary.totalMs / 1000).toFixed(1)} s, busy ${(summary.busyMs / 1000).toFixed(1)} s (${((100 * summary.busyMs) / summary.totalMs).toFixed(0)} % of the window); per request ${((1000 * summary.busyMs) / (result.rps * (summary.totalMs / 1000)) / 1000).toFixed(3)} ms CPU`,
  );
  out("\n## inclusive, by group (a sample counts once per group)");
  for (const row of summary.groups) out(`${pct(row.ms)}  ${row.name}`);
  out("\n## self time by package");
  for (const row of summary.owners.slice(0, 20)) out(`${pct(row.ms)}  ${row.name}`);
  out("\n## self time by function");
  for (const row of summary.self.slice(0, 30)) out(`${pct(row.ms)}  ${row.name}`);
  out("\n## inclusive time by function");
  for (const row of summary.inclusive.slice(0, 40)) out(`${pct(row.ms)}  ${row.name}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
