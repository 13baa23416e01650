/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time and inclusive time per function,
 * and self time per package ("where the time goes" in docs/benchmarks.md).
 *
 *   npx tsx bench/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [--top 30] [--window START_MS:END_MS]
 *
 * `--window` keeps only samples taken between START_MS and END_MS after the profile started (to cut
 * away boot and shutdown). Times are weighted by the sampling deltas, not by hit counts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const root = path.resolve(import.meta.dirname, "..");

/** Where a frame's code lives: a package name, our own workspace file, a Node internal, or V8's own bucket. */
export function ownerOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith("(") ? frame.functionName : "(native/V8)";
  if (url.startsWith("node:")) return "node (internals)";
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const local = url.replace(/^file:\/\//, "");
  if (local.startsWith(root)) {
    const relative = path.relative(root, local);
    const parts = relative.split(path.sep);
    return parts[0] === "packages" ? `${parts[1]} (ours)` : relative;
  }
  return url;
}

function label(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, "");
  const short = url.includes("/node_modules/")
    ? url.slice(url.lastIndexOf("/node_modules/") + "/node_modules/".length)
    : url.startsWith(root)
      ? path.relative(root, url)
      : url;
  return `${frame.functionName || "(anonymous)"} ${short ? `${short}:${frame.lineNumber + 1}` : ""}`.trim();
}

export interface ProfileSummary {
  totalMs: number;
  /** Sampled time that is not "(idle)". */
  busyMs: number;
  self: { name: string; ms: number }[];
  inclusive: { name: string; ms: number }[];
  owners: { name: string; ms: number }[];
  /** Per named group: time of the samples with at least one frame on the stack matching the group's pattern. */
  groups: { name: string; ms: number }[];
}

/** A pattern any frame on the stack must match, or a leaf (self) frame pattern plus a stack pattern. */
export type ProfileGroup = RegExp | { leaf: RegExp; stack: RegExp };

export function summarise(
  profile: CpuProfile,
  window?: { fromMs: number; toMs: number },
  groups: Record<string, ProfileGroup> = {},
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const owners = new Map<string, number>();
  const grouped = new Map<string, number>(Object.keys(groups).map((name) => [name, 0]));
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  let totalMs = 0;
  let busyMs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i] ?? 0;
    // A sample's time is the gap to the next sample (the last one gets none).
    const ms = ((profile.timeDeltas[i + 1] ?? 0) as number) / 1000;
    const sinceStart = (at - profile.startTime) / 1000;
    if (window && (sinceStart < window.fromMs || sinceStart > window.toMs)) continue;
    const node = byId.get(profile.samples[i] as number);
    if (!node) continue;
    totalMs += ms;
    if (node.callFrame.functionName === "(idle)") continue;
    busyMs += ms;
    add(self, label(node.callFrame), ms);
    add(owners, ownerOf(node.callFrame), ms);
    // Inclusive: once per distinct function on the stack (recursion counted once).
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (!frame) break;
      const name = label(frame);
      if (!seen.has(name)) {
        seen.add(name);
        add(inclusive, name, ms);
      }
    }
    const leaf = label(node.callFrame);
    for (const [group, pattern] of Object.entries(groups)) {
      const matches =
        pattern instanceof RegExp
          ? [...seen].some((name) => pattern.test(name))
          : pattern.leaf.test(leaf) && [...seen].some((name) => pattern.stack.test(name));
      if (matches) add(grouped, group, ms);
    }
  }
  const sorted = (map: Map<string, number>) =>
    [...map.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
  return {
    totalMs,
    busyMs,
    self: sorted(self),
    inclusive: sorted(inclusive),
    owners: sorted(owners),
    groups: sorted(grouped),
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const files: string[] = [];
  let top = 30;
  let window: { fromMs: number; toMs: number } | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === "--top") top = Number(args[++i]);
    else if (arg === "--window") {
      const [from, to] = String(args[++i]).split(":").map(Number);
      window = { fromMs: from ?? 0, toMs: to ?? Number.POSITIVE_INFINITY };
    } else files.push(arg);
  }
  if (files.length === 0) {
    process.stderr.write("usage: tsx bench/profile-summary.ts FILE.cpuprofile [--top N] [--window FROM_MS:TO_MS]\n");
    process.exit(2);
  }
  for (const file of files) {
    const summary = summarise(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, window);
    const pct = (ms: number) => `${((100 * ms) / summary.busyMs).toFixed(1).padStart(5)} %`;
    const table = (title: string, rows: { name: string; ms: number }[]) => {
      process.stdout.write(`\n## ${title}\n`);
      for (const row of rows.slice(0, top)) {
        process.stdout.write(`${pct(row.ms)}  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}\n`);
      }
    };
    process.stdout.write(
      `# ${path.basename(file)}: ${summary.totalMs.toFixed(0)} ms sampled, ${summary.busyMs.toFixed(0)} ms busy (percentages are of busy time)\n`,
    );
    table("self time by package", summary.owners);
    table("self time by function", summary.self);
    table("inclusive time by function", summary.inclusive);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) main();
