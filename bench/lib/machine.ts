import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * CPU used by processes that are not part of the benchmark (another test suite on the same machine,
 * say), so a noisy run says so instead of passing its numbers off as the machine's. "Ours" is the
 * harness's process tree plus the PostgreSQL and Redis servers; everything else is foreign, including
 * processes that started and ended within the window.
 */
export interface CpuSnapshot {
  totalBusy: number;
  ours: number;
}

const clockTicks = 100;

function readStat(pid: string): { ppid: string; comm: string; ticks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    // After the name: state(0) ppid(1) … utime(11) stime(12)
    return { ppid: fields[1] ?? "", comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

export function cpuSnapshot(): CpuSnapshot {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal
  const busy = (cpu[0] ?? 0) + (cpu[1] ?? 0) + (cpu[2] ?? 0) + (cpu[5] ?? 0) + (cpu[6] ?? 0) + (cpu[7] ?? 0);
  const stats = new Map<string, { ppid: string; comm: string; ticks: number }>();
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = readStat(pid);
    if (stat) stats.set(pid, stat);
  }
  const mine = String(process.pid);
  const isOurs = (pid: string): boolean => {
    for (let p: string | undefined = pid, depth = 0; p && p !== "0" && depth < 64; depth += 1) {
      if (p === mine) return true;
      const stat = stats.get(p);
      if (!stat) return false;
      if (stat.comm.startsWith("postgres") || stat.comm.startsWith("redis-server")) return true;
      p = stat.ppid;
    }
    return false;
  };
  let ours = 0;
  for (const [pid, stat] of stats) if (isOurs(pid)) ours += stat.ticks;
  return { totalBusy: busy, ours };
}

/** Foreign CPU between two snapshots, in cores (1.0 = one CPU fully used by others). */
export function foreignCores(before: CpuSnapshot, after: CpuSnapshot, seconds: number): number {
  const foreign = after.totalBusy - before.totalBusy - (after.ours - before.ours);
  return Math.max(0, foreign / clockTicks / seconds);
}

/** Waits (at most `maxMs`) until others use less than `threshold` cores over one second. */
export async function waitForQuiet(maxMs: number, threshold = 0.1): Promise<number> {
  if (maxMs <= 0) return 0;
  const deadline = Date.now() + maxMs;
  let load = 0;
  do {
    const before = cpuSnapshot();
    await sleep(1000);
    load = foreignCores(before, cpuSnapshot(), 1);
    if (load < threshold) return load;
  } while (Date.now() < deadline);
  return load;
}

export function machineDescription(): { cpu: string; cores: number; memoryGiB: number; node: string } {
  const model = os.cpus()[0]?.model ?? "unknown";
  return {
    cpu: model,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
}
