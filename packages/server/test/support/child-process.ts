import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: children run from there, like `npm run cli` and `npm start` do. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const mainScript = "packages/server/src/main.ts";
export const cliScript = "packages/server/src/cli/index.ts";

/**
 * The parent's environment minus everything Gatehouse reads (vitest's own DATABASE_URL included), plus
 * `env`: a child sees only the configuration the test gives it.
 */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  const gatehouseVariable =
    /^(NODE_ENV|PORT|HOST|PUBLIC_URL|DATA_DIR|DATABASE_URL|REDIS_URL|SMTP_URL|MAIL_FROM|SESSION_SECRET|LOG_LEVEL|ALLOW_INSECURE_COOKIES|USER_.*|ADMIN_.*)$/;
  for (const [key, value] of Object.entries(process.env)) {
    if (!gatehouseVariable.test(key) && !key.startsWith("VITEST")) clean[key] = value;
  }
  for (const [key, value] of Object.entries(env)) if (value !== undefined) clean[key] = value;
  return clean;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output; `wait()` resolves on exit. */
export interface RunningChild {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  wait(): Promise<ChildResult>;
  /** Polls the output until `pattern` appears; rejects when the child exits first or on timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. Safe to call twice. */
  stop(graceMs?: number): Promise<ChildResult>;
}

const running = new Set<RunningChild>();

/** For `afterEach`: stops every child still running, so a failed test leaves no server holding a port or lock. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

/** Own process group, so stop() reaches npm's and tsx's children too. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export function spawnChild(command: string, args: string[], options: { env: NodeJS.ProcessEnv }): RunningChild {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: options.env,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk) => {
    out += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    err += String(chunk);
  });
  const exited = new Promise<ChildResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
  });
  let finished = false;
  const markFinished = () => {
    finished = true;
    running.delete(handle);
  };
  void exited.then(markFinished, markFinished);

  const handle: RunningChild = {
    child,
    stdout: () => out,
    stderr: () => err,
    wait: () => exited,
    waitForOutput: async (pattern, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out) && !pattern.test(err)) {
        if (finished) throw new Error(`child exited before printing ${pattern}:\n${out}\n${err}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${out}\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: async (graceMs = 10_000) => {
      if (!finished) {
        signalGroup(child, "SIGTERM");
        const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      }
      return exited;
    },
  };
  running.add(handle);
  return handle;
}

/**
 * `npx tsx packages/server/src/main.ts`, one node process via `--import tsx` so SIGTERM reaches the
 * server itself (npx and the tsx wrapper are extra processes between us and its signal handler).
 */
export function startServerProcess(env: Record<string, string | undefined>): RunningChild {
  return spawnChild(process.execPath, ["--import", "tsx", mainScript], { env: childEnv(env) });
}

/**
 * `npm run cli -- <args>` with `input` on stdin (closed after it, so stdin is never a TTY). `--silent`
 * keeps npm's own banner off stdout/stderr. Killed after `timeoutMs`, so a hung CLI fails the test.
 */
export async function runCli(
  args: string[],
  options: { env: Record<string, string | undefined>; input?: string; timeoutMs?: number },
): Promise<ChildResult> {
  const cli = spawnChild("npm", ["run", "--silent", "cli", "--", ...args], { env: childEnv(options.env) });
  cli.child.stdin?.on("error", () => {}); // EPIPE when the CLI exits without reading
  cli.child.stdin?.end(options.input ?? "");
  const timer = setTimeout(() => void cli.stop(1000), options.timeoutMs ?? 60_000);
  try {
    return await cli.wait();
  } finally {
    clearTimeout(timer);
  }
}
