/**
 * Server CPU per request, for comparing two builds of the hot path on a busy machine. Throughput moves
 * with whatever else the VM runs; the CPU the server process itself spends per answered request moves
 * much less, and its ratio to bare Fastify's is what the throughput ratio would be on a quiet core.
 * Not a substitute for `npm run bench` (which reports req/s and latency); a tool for the next change.
 *
 *   npx tsx bench/cpu-cost.ts              # PGlite; DATABASE_URL=… for PostgreSQL
 *
 * Each server runs pinned to CPU 0, autocannon in this process; CPU is read from /proc/<pid>/stat
 * (user + system, every thread of the server: argon2, PGlite and GC included).
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon, { type Result } from "autocannon";
import { runScript, serverCpu, spawnPinned, stopChild, waitForHttp } from "./lib/processes.ts";
import type { BenchAccounts } from "./setup-sessions.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? "5");
const work = mkdtempSync(path.join(os.tmpdir(), "gatehouse-cpu-"));
const ticksPerSecond = 100; // USER_HZ on Linux

function cpuSeconds(pid: number): number {
  // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th of those.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function load(url: string, headers: Record<string, string>, duration: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 20, duration, headers }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

async function cost(pid: number, url: string, headers: Record<string, string> = {}): Promise<number> {
  await load(url, headers, 1);
  const before = cpuSeconds(pid);
  const result = await load(url, headers, seconds);
  const used = cpuSeconds(pid) - before;
  const answered = result.requests.total;
  if (result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers`);
  return (used * 1e6) / answered;
}

async function main(): Promise<void> {
  const basePort = await freePort();
  const baseline = spawnPinned(serverCpu, "bench/baseline-server.ts", { env: { PORT: String(basePort) } });
  try {
    await measureAll(baseline, basePort);
  } finally {
    await stopChild(baseline);
  }
}

async function measureAll(baseline: ChildProcess, basePort: number): Promise<void> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: process.env.BENCH_NODE_ENV ?? "production",
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    PORT: String(port),
    SESSION_SECRET: randomBytes(48).toString("base64url"),
    CLEANUP_INTERVAL_SECONDS: "0",
    DATA_DIR: path.join(work, "data"),
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  };
  const accountsFile = path.join(work, "accounts.json");
  await runScript("bench/setup-sessions.ts", {
    ...env,
    BENCH_OUT: accountsFile,
    BENCH_PASSWORD: "Cpu-Cost-Password-42",
    BENCH_SESSIONS: "10",
  });
  const accounts = JSON.parse(readFileSync(accountsFile, "utf8")) as BenchAccounts;
  // BENCH_CPU_PROF=DIR: write the server's CPU profile there (read it with bench/profile-summary.ts).
  const profileDir = process.env.BENCH_CPU_PROF;
  const server = spawnPinned(serverCpu, "packages/server/src/main.ts", {
    env,
    logFile: path.join(work, "server.log"),
    nodeArgs: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
  });
  try {
    await waitForHttp(`http://127.0.0.1:${basePort}/healthz`, baseline);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, 90_000);
    const base = await cost(baseline.pid as number, `http://127.0.0.1:${basePort}/bench`);
    const rows: [string, number][] = [
      ["bare Fastify GET /bench", base],
      ["Gatehouse GET /healthz", await cost(server.pid as number, `http://127.0.0.1:${port}/healthz`)],
      [
        "Gatehouse session check, one hot session",
        await cost(server.pid as number, `http://127.0.0.1:${port}/api/user/auth/session?passive=true`, {
          cookie: `__Host-user_session=${accounts.hotToken}`,
        }),
      ],
    ];
    for (const [name, us] of rows) {
      process.stdout.write(`${us.toFixed(1).padStart(8)} µs CPU/request  ${(base / us).toFixed(2)}×  ${name}\n`);
    }
  } finally {
    await stopChild(server);
  }
}

await main();
