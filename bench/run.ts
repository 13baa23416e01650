/**
 * `npm run bench`: every scenario of docs/benchmarks.md in one run on this machine, then the table
 * between the markers of docs/benchmarks.md. Each server is a child process pinned to CPU 0
 * (`taskset -c 0`), each load generator (autocannon) a child process pinned to CPU 1. Only loopback.
 *
 *   BENCH_SECONDS=10   seconds per measured scenario (default 10)
 *   BENCH_QUICK=1      smoke run: 2 s per scenario, 1,000 distinct sessions, no 1M-row scenario,
 *                      a 20,000-row cleanup; finishes in about a minute and a half
 *   BENCH_PG_URL       PostgreSQL server to create the bench database on (default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_REDIS_URL    Redis (default redis://127.0.0.1:6379); unreachable = those rows are skipped
 *   BENCH_OUT          the markdown file to write (default docs/benchmarks.md)
 *   BENCH_REPEAT=3     measure each saturating row 3 times; report the median run and the req/s range
 *   BENCH_ONLY         e.g. `redis`: only some parts (baseline, pglite, postgres, redis); for development
 *   BENCH_KEEP=1       keep the work dir (server logs) and the PostgreSQL database
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startLoad } from "./lib/load.ts";
import type { LoadResult, LoadSpec } from "./lib/load-spec.ts";
import { cpuSnapshot, foreignCores, machineDescription, waitForQuiet } from "./lib/machine.ts";
import {
  countSessions,
  createDatabase,
  databaseUrl,
  dropDatabase,
  insertBulkSessions,
  postgresVersion,
} from "./lib/postgres.ts";
import { repoRoot, runScript, serverCpu, spawnPinned, stopChild, waitForHttp } from "./lib/processes.ts";
import { dropRedisKeys, redisVersion } from "./lib/redis.ts";
import { noisyCores, type Row, renderTable, type Spread, type Target, writeBetweenMarkers } from "./lib/report.ts";
import { benchToken } from "./lib/tokens.ts";
import type { BenchAccounts } from "./setup-sessions.ts";

const quick = process.env.BENCH_QUICK === "1";
const seconds = Number(process.env.BENCH_SECONDS ?? (quick ? 2 : 10));
const warmupSeconds = quick ? 1 : 3;
const connections = 50;
const distinctSessions = quick ? 1_000 : 10_000;
/** Long enough to present every pooled session once even on PGlite's uncached ~700 req/s. */
const poolWarmupSeconds = quick ? 3 : 20;
const bulkRows = 1_000_000;
const cleanupRows = quick ? 20_000 : 1_000_000;
/** The latency probe of (c) and (e): a steady, moderate stream of authenticated GETs, not a saturating one. */
const probe = { connections: 10, overallRate: 200 };
/** The longest the cleanup scenario waits for the cleanup before it gives up (every loop is bounded). */
const cleanupCapSeconds = 300;
const outFile = path.resolve(repoRoot, process.env.BENCH_OUT ?? "docs/benchmarks.md");
const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const password = `Bench-${randomBytes(9).toString("base64url")}-pw`;
const cookieName = "__Host-user_session";
const sessionPath = "/api/user/auth/session?passive=true";
/** Forward auth (docs/forward-auth.md): what nginx auth_request or @gatehouse/node asks on every request. */
const verifyPath = "/api/user/auth/verify?passive=true";
const work = mkdtempSync(path.join(os.tmpdir(), "gatehouse-bench-"));
const runId = `${process.pid}`;
const cronSecret = randomBytes(36).toString("base64url");
const redisPrefix = `gatehouse-bench-${runId}:`;
const t0 = performance.now();
const children = new Set<ChildProcess>();
/** Servers the harness is stopping; any other exit is a crash, reported in the notes. */
const stopping = new WeakSet<ChildProcess>();
let nextPort = Number(process.env.BENCH_PORT_BASE ?? "4300");

const rows: Row[] = [];
const notes: string[] = [];
let baselineRps: number | null = null;
/** Set when a run failed: the work dir (server logs) is kept for a look. */
let keepWork = process.env.BENCH_KEEP === "1";

function log(message: string): void {
  process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
}

/**
 * Before each measurement: wait (bounded) until other processes leave the CPUs alone. The machine may
 * be shared (another test suite); the table says how much CPU others took during each row anyway.
 */
async function settle(): Promise<void> {
  const load = await waitForQuiet(quick ? 0 : quietWaitMs);
  if (load >= 0.1) log(`others still use ${load.toFixed(2)} cores; measuring anyway`);
}
/** BENCH_ONLY=baseline,pglite,postgres,redis runs only those parts (redis = PostgreSQL + Redis, with (c)–(e)). */
const only = new Set((process.env.BENCH_ONLY ?? "").split(",").filter(Boolean));
const part = (name: "baseline" | "pglite" | "postgres" | "redis") => only.size === 0 || only.has(name);
const quietWaitMs = Number(process.env.BENCH_QUIET_WAIT_SECONDS ?? "60") * 1000;

/** Measures one load run, with the CPU that other processes took meanwhile. */
async function measure(spec: LoadSpec): Promise<{ result: LoadResult; foreign: number; spread?: Spread }> {
  const runs: { result: LoadResult; foreign: number }[] = [];
  for (let i = 0; i < repeat; i += 1) {
    await settle();
    const before = cpuSnapshot();
    const started = performance.now();
    const result = await startLoad(spec, path.join(work, "load.log")).result;
    runs.push({ result, foreign: foreignCores(before, cpuSnapshot(), (performance.now() - started) / 1000) });
  }
  // With BENCH_REPEAT > 1: the median run by req/s, and the range of all of them.
  runs.sort((a, b) => a.result.rps - b.result.rps);
  const median = runs[Math.floor(runs.length / 2)] as (typeof runs)[number];
  if (runs.length === 1) return median;
  const rps = runs.map((run) => run.result.rps);
  return { ...median, spread: { min: Math.min(...rps), max: Math.max(...rps) } };
}
/** BENCH_REPEAT=N measures each saturating scenario N times and reports the median run (not (c) or (e)). */
const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? "1"));

function addRow(row: Omit<Row, "ratio"> & { ratio?: number | null }): void {
  const ratio = row.ratio !== undefined ? row.ratio : row.result && baselineRps ? row.result.rps / baselineRps : null;
  const failed = row.result !== null && (row.result.requests === 0 || row.result.non2xx > 0 || row.result.errors > 0);
  // A target is never met by a run that got errors, refusals or no answers at all.
  const target = row.target && failed ? { text: `${row.target.text} (run failed)`, pass: false } : row.target;
  const full: Row = { ...row, ratio, target };
  if (failed) keepWork = true;
  if (row.result && (row.result.non2xx > 0 || row.result.errors > 0)) {
    const codes = Object.entries(row.result.statusCodes)
      .map(([code, n]) => `${n}×${code}`)
      .join(", ");
    notes.push(
      `${row.scenario} (${row.database}): ${row.result.non2xx} non-2xx answers (${codes}), ${row.result.errors} errors, ${row.result.timeouts} timeouts.`,
    );
  }
  rows.push(full);
  const r = row.result;
  log(
    r
      ? `${row.scenario} [${row.database}]: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms` +
          (ratio ? `, ${ratio.toFixed(2)}× baseline` : "") +
          (row.target ? ` ${row.target.pass ? "✓" : "✗"} ${row.target.text}` : "")
      : `${row.scenario} [${row.database}]: skipped`,
  );
}

interface Server {
  origin: string;
  child: ChildProcess;
}

async function startServer(script: string, env: NodeJS.ProcessEnv, name: string): Promise<Server> {
  const port = nextPort++;
  const child = spawnPinned(serverCpu, script, {
    env: { ...env, PORT: String(port) },
    logFile: path.join(work, `${name}.log`),
  });
  children.add(child);
  child.once("exit", (code, signal) => {
    children.delete(child);
    if (!stopping.has(child)) {
      keepWork = true;
      const what = `${name} exited on its own (${signal ?? `code ${code}`}) at ${((performance.now() - t0) / 1000).toFixed(0)} s; its log: ${name}.log in the kept work dir`;
      notes.push(what);
      log(what);
    }
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(`${origin}/healthz`, child, 90_000);
  return { origin, child };
}

async function stopServer(server: Server): Promise<void> {
  stopping.add(server.child);
  await stopChild(server.child);
}

function gatehouseEnv(
  database: { dataDir: string } | { url: string },
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    SESSION_SECRET: randomBytes(48).toString("base64url"),
    CRON_SECRET: cronSecret,
    CLEANUP_INTERVAL_SECONDS: "0",
    // The login storm comes "through a proxy" from many addresses (X-Forwarded-For).
    TRUSTED_PROXIES: "127.0.0.1",
    REDIS_KEY_PREFIX: redisPrefix,
    ...("dataDir" in database ? { DATA_DIR: database.dataDir } : { DATABASE_URL: database.url, DATA_DIR: work }),
    ...extra,
  };
}
async function setupAccounts(env: NodeJS.ProcessEnv, name: string): Promise<BenchAccounts> {
  const out = path.join(work, `${name}-accounts.json`);
  const started = performance.now();
  await runScript("bench/setup-sessions.ts", {
    ...env,
    BENCH_OUT: out,
    BENCH_PASSWORD: password,
    BENCH_SESSIONS: String(distinctSessions),
  });
  const accounts = JSON.parse(readFileSync(out, "utf8")) as BenchAccounts;
  log(
    `${name}: ${accounts.poolTokens.length + 1} sessions minted in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return accounts;
}

/** Fails loudly if the token does not sign in: numbers of 401s would be worthless. */
async function assertSignedIn(origin: string, token: string): Promise<void> {
  const response = await fetch(`${origin}${sessionPath}`, { headers: { cookie: `${cookieName}=${token}` } });
  if (response.status !== 200) throw new Error(`${origin}: the bench session answers ${response.status}, not 200`);
}

const hot = (token: string) => ({ cookieName, tokens: [token] });

/** Scenario (b) on one database: one hot session, then the distinct-session pool. */
async function sessionScenarios(server: Server, accounts: BenchAccounts, database: string, poolFile: string) {
  await assertSignedIn(server.origin, accounts.hotToken);
  await startLoad({
    origin: server.origin,
    path: sessionPath,
    connections,
    durationSeconds: warmupSeconds,
    session: hot(accounts.hotToken),
  }).result;
  const warm = await measure({
    origin: server.origin,
    path: sessionPath,
    connections,
    durationSeconds: seconds,
    session: hot(accounts.hotToken),
  });
  addRow({
    scenario: "(b) session check, one hot session",
    database,
    result: warm.result,
    spread: warm.spread,
    foreignCores: warm.foreign,
    target: warmTarget(warm.result),
  });
  const verify = await measure({
    origin: server.origin,
    path: verifyPath,
    connections,
    durationSeconds: seconds,
    session: hot(accounts.hotToken),
  });
  addRow({
    scenario: "(b) forward auth (GET …/auth/verify), one hot session",
    database,
    result: verify.result,
    spread: verify.spread,
    foreignCores: verify.foreign,
    target: warmTarget(verify.result),
  });
  // Steady state, as a real deployment with this many signed-in users has: one pass over the pool
  // first, so each session's first (cache-filling) lookup is not what the row measures. The 1M-row
  // scenario (d) is the one that measures uncached lookups.
  await startLoad({
    origin: server.origin,
    path: sessionPath,
    connections,
    durationSeconds: poolWarmupSeconds,
    session: { cookieName, tokensFile: poolFile },
  }).result;
  const many = await measure({
    origin: server.origin,
    path: sessionPath,
    connections,
    durationSeconds: seconds,
    session: { cookieName, tokensFile: poolFile },
  });
  addRow({
    scenario: `(b) session check, ${distinctSessions.toLocaleString("en")} sessions round-robin`,
    database,
    result: many.result,
    spread: many.spread,
    foreignCores: many.foreign,
    target: ratioTarget(many.result, 0.7),
  });
}

function warmTarget(result: LoadResult): Target {
  const ratio = baselineRps ? result.rps / baselineRps : 0;
  return { text: "≥ 0.80× and p99 ≤ 5 ms", pass: ratio >= 0.8 && result.p99 <= 5 };
}
function ratioTarget(result: LoadResult, min: number): Target {
  const ratio = baselineRps ? result.rps / baselineRps : 0;
  return { text: `≥ ${min.toFixed(2)}×`, pass: ratio >= min };
}

async function main(): Promise<void> {
  const machine = machineDescription();
  const pgVersion = await postgresVersion().catch(() => null);
  const redis = await redisVersion(redisUrl);
  log(`${quick ? "QUICK run" : "full run"}: ${seconds} s per scenario, ${connections} connections; work dir ${work}`);
  const quiet = await waitForQuiet(quick ? 3_000 : 20_000);
  if (quiet >= 0.1) log(`other processes are using ${quiet.toFixed(2)} cores: numbers will be noisy`);

  // (a) bare Fastify
  if (part("baseline")) {
    const server = await startServer("bench/baseline-server.ts", {}, "baseline");
    try {
      await startLoad({ origin: server.origin, path: "/bench", connections, durationSeconds: warmupSeconds }).result;
      const { result, foreign, spread } = await measure({
        origin: server.origin,
        path: "/bench",
        connections,
        durationSeconds: seconds,
      });
      baselineRps = result.rps;
      addRow({
        scenario: "(a) bare Fastify GET, small JSON",
        database: "—",
        result,
        spread,
        foreignCores: foreign,
        target: null,
        ratio: 1,
      });
    } finally {
      await stopServer(server);
    }
  }

  // (b) on PGlite
  if (part("pglite")) {
    const dataDir = path.join(work, "pglite-data");
    const accounts = await setupAccounts({ DATA_DIR: dataDir }, "pglite");
    const poolFile = path.join(work, "pglite-pool.json");
    writeFileSync(poolFile, JSON.stringify(accounts.poolTokens));
    const server = await startServer("packages/server/src/main.ts", gatehouseEnv({ dataDir }), "gatehouse-pglite");
    try {
      await sessionScenarios(server, accounts, "PGlite", poolFile);
    } finally {
      await stopServer(server);
    }
  }

  if (!part("postgres") && !part("redis")) {
    // not asked for
  } else if (!pgVersion) {
    notes.push(
      `PostgreSQL was not reachable at ${process.env.BENCH_PG_URL ?? "127.0.0.1:5432"}: its rows are missing.`,
    );
  } else {
    const dbName = `gatehouse_bench_${runId}`;
    await createDatabase(dbName);
    const url = databaseUrl(dbName);
    try {
      const accounts = await setupAccounts(
        { DATABASE_URL: databaseUrl(dbName, "-c synchronous_commit=off") },
        "postgres",
      );
      const poolFile = path.join(work, "postgres-pool.json");
      writeFileSync(poolFile, JSON.stringify(accounts.poolTokens));

      // (b) on PostgreSQL
      if (part("postgres")) {
        const server = await startServer("packages/server/src/main.ts", gatehouseEnv({ url }), "gatehouse-postgres");
        try {
          await sessionScenarios(server, accounts, "PostgreSQL", poolFile);
          // The same app answering without a session or a query: the ceiling a validation cache can reach.
          const healthz = await measure({
            origin: server.origin,
            path: "/healthz",
            connections,
            durationSeconds: seconds,
          });
          addRow({
            scenario: "Gatehouse GET /healthz (no cookie, no query): the ceiling for a cached check",
            database: "PostgreSQL",
            result: healthz.result,
            spread: healthz.spread,
            foreignCores: healthz.foreign,
            target: null,
          });
        } finally {
          await stopServer(server);
        }
      }

      if (!part("redis")) {
        // not asked for
      } else if (!redis) {
        notes.push(`Redis was not reachable at ${redisUrl}: the PostgreSQL + Redis rows and (c)–(e) are missing.`);
      } else {
        const label = "PostgreSQL + Redis";
        const server = await startServer(
          "packages/server/src/main.ts",
          gatehouseEnv({ url }, { REDIS_URL: redisUrl }),
          "gatehouse-postgres-redis",
        );
        try {
          // (b) on PostgreSQL + Redis
          await sessionScenarios(server, accounts, label, poolFile);

          // The latency probe alone: the reference for (c) and (e).
          const probeSpec: LoadSpec = {
            origin: server.origin,
            path: sessionPath,
            ...probe,
            durationSeconds: seconds,
            session: { cookieName, tokensFile: poolFile },
          };
          const alone = await measure(probeSpec);
          addRow({
            scenario: `probe alone: ${probe.overallRate} GET/s over ${probe.connections} connections`,
            database: label,
            result: alone.result,
            spread: alone.spread,
            foreignCores: alone.foreign,
            target: null,
          });

          // (c) login storm, with the probe running beside it
          {
            await settle();
            const before = cpuSnapshot();
            const started = performance.now();
            const storm = startLoad(
              {
                origin: server.origin,
                path: "/api/user/auth/login",
                method: "POST",
                connections,
                durationSeconds: seconds,
                login: { emails: accounts.poolEmails, password },
              },
              path.join(work, "load.log"),
            );
            const during = startLoad(probeSpec, path.join(work, "load.log"));
            const [logins, gets] = await Promise.all([storm.result, during.result]);
            const foreign = foreignCores(before, cpuSnapshot(), (performance.now() - started) / 1000);
            addRow({
              scenario: `(c) logins (POST login, ${connections} connections, argon2id)`,
              database: label,
              result: logins,
              foreignCores: foreign,
              target: null,
              ratio: null,
            });
            addRow({
              scenario: "(c) probe GETs during the login storm",
              database: label,
              result: gets,
              foreignCores: foreign,
              target: { text: "p99 ≤ 50 ms", pass: gets.p99 <= 50 },
              ratio: null,
            });
          }

          // (d) one million sessions: each request another session, none seen before
          if (quick) {
            notes.push("(d) 1,000,000-session table: skipped under BENCH_QUICK.");
          } else {
            const from = 1;
            log(`(d) inserting ${bulkRows.toLocaleString("en")} live sessions…`);
            const insertMs = await insertBulkSessions(url, {
              from,
              count: bulkRows,
              principalIds: accounts.poolPrincipalIds,
              kind: "live",
            });
            notes.push(
              `(d) ${bulkRows.toLocaleString("en")} live sessions bulk-inserted (generate_series, then ANALYZE) in ${(insertMs / 1000).toFixed(1)} s; the table then held ${(await countSessions(url)).toLocaleString("en")} rows.`,
            );
            await assertSignedIn(server.origin, benchToken(from + 12_345));
            const { result, foreign, spread } = await measure({
              origin: server.origin,
              path: sessionPath,
              connections,
              durationSeconds: seconds,
              session: { cookieName, generated: { from, count: bulkRows } },
            });
            addRow({
              scenario: "(d) session check, 1,000,000-row table, every request another session",
              database: label,
              result,
              spread,
              foreignCores: foreign,
              target: null,
            });
          }

          // (e) cleanup of expired sessions while the probe runs
          {
            const from = 2_000_001;
            log(`(e) inserting ${cleanupRows.toLocaleString("en")} expired sessions…`);
            const insertMs = await insertBulkSessions(url, {
              from,
              count: cleanupRows,
              principalIds: accounts.poolPrincipalIds,
              kind: "expired",
            });
            const tableRows = await countSessions(url);
            await settle();
            const before = cpuSnapshot();
            const started = performance.now();
            const running = startLoad(
              { ...probeSpec, durationSeconds: cleanupCapSeconds + 10 },
              path.join(work, "load.log"),
            );
            await sleep(1000);
            const cleanupStarted = performance.now();
            const response = await fetch(`${server.origin}/api/cron/cleanup-sessions`, {
              method: "POST",
              headers: { authorization: `Bearer ${cronSecret}` },
              signal: AbortSignal.timeout(cleanupCapSeconds * 1000),
            }).catch((error: unknown) => error as Error);
            const cleanupSeconds = (performance.now() - cleanupStarted) / 1000;
            await sleep(1000);
            running.stop();
            const result = await running.result;
            const foreign = foreignCores(before, cpuSnapshot(), (performance.now() - started) / 1000);
            const report =
              response instanceof Error ? `failed: ${response.message}` : `${response.status} ${await response.text()}`;
            notes.push(
              `(e) ${cleanupRows.toLocaleString("en")} expired sessions bulk-inserted in ${(insertMs / 1000).toFixed(1)} s (table: ${tableRows.toLocaleString("en")} rows); ` +
                `POST /api/cron/cleanup-sessions took ${cleanupSeconds.toFixed(1)} s and answered ${report}. The probe ran from 1 s before to 1 s after it.`,
            );
            addRow({
              scenario: `(e) probe GETs during the cleanup of ${cleanupRows.toLocaleString("en")} expired sessions`,
              database: label,
              result,
              foreignCores: foreign,
              target: { text: "max ≤ 100 ms", pass: result.max <= 100 },
              ratio: null,
            });
          }
        } finally {
          await stopServer(server);
          await dropRedisKeys(redisUrl, redisPrefix);
        }
      }
    } finally {
      if (process.env.BENCH_KEEP !== "1") await dropDatabase(dbName).catch(() => {});
    }
  }

  const totalSeconds = (performance.now() - t0) / 1000;
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  const noisy = rows.some((row) => (row.foreignCores ?? 0) > noisyCores);
  const report = [
    `Last run: ${date} UTC, \`${quick ? "BENCH_QUICK=1 " : ""}${repeat > 1 ? `BENCH_REPEAT=${repeat} ` : ""}npm run bench\` (${seconds} s per scenario, ${connections} connections${repeat > 1 ? `; saturating rows measured ${repeat} times: the median run, req/s range in brackets` : ""}), ${totalSeconds.toFixed(0)} s in all.`,
    "",
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; Node ${machine.node}; PostgreSQL ${pgVersion ?? "—"}; Redis ${redis ?? "—"}; ${os.type()} ${os.release()}.`,
    "Server pinned to CPU 0, load generator (autocannon) to CPU 1; PostgreSQL and Redis not pinned.",
    "",
    renderTable(rows),
    "",
    ...(noisy
      ? [
          '⚠ Other processes used CPU during the rows marked ⚠ ("others\' CPU", in cores): on this 2-core machine those numbers are low.',
          "",
        ]
      : []),
    ...notes.map((note) => `- ${note}`),
  ].join("\n");
  writeBetweenMarkers(outFile, report);
  log(`wrote ${path.relative(repoRoot, outFile)} (${totalSeconds.toFixed(0)} s)`);
  process.stdout.write(`${renderTable(rows)}\n`);
}

async function shutdown(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child, 5_000)));
  if (keepWork) log(`kept ${work} (server and load logs)`);
  else rmSync(work, { recursive: true, force: true });
}

process.on("SIGINT", () => {
  void shutdown().then(() => process.exit(130));
});

main()
  .then(shutdown)
  .then(
    () => process.exit(0),
    async (error: unknown) => {
      process.stderr.write(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.stderr.write(`logs: ${work}\n`);
      await Promise.all([...children].map((child) => stopChild(child, 5_000)));
      process.exit(1);
    },
  );
