import { createRequire } from "node:module";
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { PasswordHasher } from "@gatehouse/core";

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane. */
const owaspArgon2id = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * The worker's code, as a string so the same file works under tsx and as built JavaScript. The worker
 * may lower its own thread's scheduling priority (Linux: `setpriority` on the thread id, which raising
 * the nice value needs no privilege for), then hashes synchronously on that thread. At a nice value
 * above 0 a login storm takes the CPU the event loop leaves over, instead of its share of it.
 */
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const { readlinkSync } = require("node:fs");
const os = require("node:os");
const argon2 = require(workerData.argon2Path);
try {
  const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (tid > 0 && workerData.nice > 0) os.setPriority(tid, workerData.nice);
} catch {}
parentPort.on("message", ({ id, op, a, b }) => {
  try {
    const value = op === "hash" ? argon2.hashSync(a, workerData.options) : argon2.verifySync(a, b);
    parentPort.postMessage({ id, value });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
});
`;

interface Slot {
  worker: Worker;
  busy: number;
}

interface Job {
  slot: Slot;
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

/**
 * A small pool of low-priority hashing threads, one per CPU the process may use beyond the event
 * loop's (at least one). Created on first use and unref'd, so an idle process or a test never waits
 * for it. Jobs queue in order; the throttle (not this pool) bounds how many a client can submit.
 */
class HashPool {
  private readonly workers: Slot[] = [];

  constructor(private readonly nice: number) {}

  private readonly jobs = new Map<number, Job>();
  private nextId = 0;

  run(op: "hash" | "verify", a: string, b?: string): Promise<string | boolean> {
    const slot = this.leastBusy();
    const id = this.nextId++;
    slot.busy += 1;
    if (slot.busy === 1) slot.worker.ref();
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { slot, resolve, reject });
      slot.worker.postMessage({ id, op, a, b });
    }).finally(() => {
      slot.busy -= 1;
      if (slot.busy === 0) slot.worker.unref();
    }) as Promise<string | boolean>;
  }

  private leastBusy(): Slot {
    if (this.workers.length === 0) {
      const size = Math.max(1, os.availableParallelism() - 1);
      for (let i = 0; i < size; i += 1) this.workers.push({ worker: this.spawn(), busy: 0 });
    }
    return this.workers.reduce((best, slot) => (slot.busy < best.busy ? slot : best));
  }

  private spawn(): Worker {
    const argon2Path = createRequire(import.meta.url).resolve("@node-rs/argon2");
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { argon2Path, options: owaspArgon2id, nice: this.nice },
    });
    worker.unref();
    worker.on("message", ({ id, value, error }: { id: number; value?: string | boolean; error?: string }) => {
      const job = this.jobs.get(id);
      this.jobs.delete(id);
      if (!job) return;
      if (error !== undefined) job.reject(new Error(error));
      else job.resolve(value as string | boolean);
    });
    worker.on("error", (error) => this.failAll(worker, error));
    worker.on("exit", () => this.failAll(worker, new Error("argon2 worker exited")));
    return worker;
  }

  /** A dead worker fails what it held and is replaced on the next job, never leaving a login hanging. */
  private failAll(worker: Worker, error: Error): void {
    const index = this.workers.findIndex((slot) => slot.worker === worker);
    if (index >= 0) this.workers.splice(index, 1);
    for (const [id, job] of this.jobs) {
      if (job.slot.worker !== worker) continue;
      this.jobs.delete(id);
      job.reject(error);
    }
  }
}

/** One pool per nice value for the whole process: every app built in it (tests build many) shares it. */
const pools = new Map<number, HashPool>();

/**
 * argon2id (OWASP parameters) on worker threads, never on the event loop; at most one hash per CPU the
 * process may use beyond the event loop's. `nice` (0–19) is the threads' scheduling priority.
 */
export function createArgon2Hasher(options: { nice: number }): PasswordHasher {
  let pool = pools.get(options.nice);
  if (!pool) {
    pool = new HashPool(options.nice);
    pools.set(options.nice, pool);
  }
  const shared = pool;
  return {
    hash: async (password) => (await shared.run("hash", password)) as string,
    verify: async (stored, password) => {
      try {
        return (await shared.run("verify", stored, password)) as boolean;
      } catch {
        return false; // a malformed stored hash never signs anyone in
      }
    },
  };
}

/** The default priority (for scripts and tests that hash outside a configured server). */
export const argon2Hasher: PasswordHasher = createArgon2Hasher({ nice: 0 });
