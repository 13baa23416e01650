import type { ChildProcess } from "node:child_process";
import type { LoadResult, LoadSpec } from "./load-spec.ts";
import { loadCpu, spawnPinned } from "./processes.ts";

export interface RunningLoad {
  result: Promise<LoadResult>;
  /** Ends the run early; `result` then resolves with what was measured so far. */
  stop(): void;
}

/** Starts autocannon in a child process pinned to the load CPU. */
export function startLoad(spec: LoadSpec, logFile?: string): RunningLoad {
  const child: ChildProcess = spawnPinned(loadCpu, "bench/load-worker.ts", {
    env: { BENCH_LOAD_SPEC: JSON.stringify(spec) },
    ipc: true,
    ...(logFile ? { logFile } : {}),
  });
  // Hard bound: the run's own duration plus a minute, whatever happens.
  const killer = setTimeout(() => child.kill("SIGKILL"), (spec.durationSeconds + 60) * 1000);
  const result = new Promise<LoadResult>((resolve, reject) => {
    let settled = false;
    child.on("message", (message: { type?: string; result?: LoadResult }) => {
      if (message?.type === "result" && message.result) {
        settled = true;
        resolve(message.result);
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(killer);
      if (!settled) reject(new Error(`load generator exited (${code ?? signal}) without a result`));
    });
  });
  return {
    result,
    stop: () => {
      if (child.connected) child.send("stop");
    },
  };
}

export function runLoad(spec: LoadSpec, logFile?: string): Promise<LoadResult> {
  return startLoad(spec, logFile).result;
}
