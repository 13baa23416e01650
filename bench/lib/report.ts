import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { LoadResult } from "./load-spec.ts";

export const startMarker = "<!-- bench:start -->";
export const endMarker = "<!-- bench:end -->";

export interface Target {
  text: string;
  pass: boolean;
}

/** The lowest and highest req/s of repeated runs (BENCH_REPEAT). */
export interface Spread {
  min: number;
  max: number;
}

export interface Row {
  scenario: string;
  database: string;
  result: LoadResult | null;
  /** req/s over the baseline's req/s. */
  ratio: number | null;
  target: Target | null;
  spread?: Spread | undefined;
  /** Cores used by other processes during the run (see machine.ts). */
  foreignCores: number | null;
  note?: string;
}

/** Above this many cores taken by other processes a row is marked noisy (loopback softirq alone is ~0.1). */
export const noisyCores = 0.25;

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

export function renderTable(rows: Row[]): string {
  const lines = [
    "| scenario | database | req/s | p50 ms | p99 ms | max ms | × baseline | target | others' CPU |",
    "|---|---|---:|---:|---:|---:|---:|---|---:|",
  ];
  for (const row of rows) {
    const r = row.result;
    const target = row.target ? `${row.target.pass ? "✓" : "✗"} ${row.target.text}` : "—";
    const noise =
      row.foreignCores === null ? "—" : `${row.foreignCores.toFixed(2)}${row.foreignCores > noisyCores ? " ⚠" : ""}`;
    const scenario = row.note ? `${row.scenario} (${row.note})` : row.scenario;
    lines.push(
      r
        ? `| ${scenario} | ${row.database} | ${r.rps.toFixed(0)}${row.spread ? ` (${row.spread.min.toFixed(0)}–${row.spread.max.toFixed(0)})` : ""} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${
            row.ratio === null ? "—" : `${row.ratio.toFixed(2)}×`
          } | ${target} | ${noise} |`
        : `| ${scenario} | ${row.database} | — | — | — | — | — | ${target} | — |`,
    );
  }
  return lines.join("\n");
}

/** Replaces what lies between the markers in `file` (creating the file or the markers if missing). */
export function writeBetweenMarkers(file: string, content: string): void {
  const block = `${startMarker}\n${content.trim()}\n${endMarker}`;
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\n";
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${block}${text.slice(end + endMarker.length)}`
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
