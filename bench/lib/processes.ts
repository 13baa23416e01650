import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
/** The CPU the server under test runs on, and the one the load generator runs on. */
export const serverCpu = "0";
export const loadCpu = "1";

/** `taskset -c CPU node --import tsx SCRIPT`: a TypeScript entry point pinned to one CPU. */
export function spawnPinned(
  cpu: string,
  script: string,
  options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; logFile?: string; ipc?: boolean } = {},
): ChildProcess {
  const args = ["-c", cpu, process.execPath, ...(options.nodeArgs ?? []), "--import", "tsx", script];
  const log = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : null;
  const child = spawn("taskset", args, {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", log ? "pipe" : "ignore", log ? "pipe" : "inherit", ...(options.ipc ? ["ipc" as const] : [])],
  });
  if (log) {
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  return child;
}

/** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode}) before answering`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url}: no answer within ${timeoutMs} ms`);
}

/** SIGINT (the server's graceful shutdown), then SIGKILL if it has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Runs a pinned-or-not TypeScript script to completion; rejects on a non-zero exit. Returns stdout. */
export function runScript(script: string, env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${script} failed (${code ?? signal}):\n${err.slice(-4000)}`));
    });
  });
}
