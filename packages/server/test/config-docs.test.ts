import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envSchema } from "../src/config.ts";

const readme = readFileSync(path.join(import.meta.dirname, "../../../README.md"), "utf8");
const envExample = readFileSync(path.join(import.meta.dirname, "../../../.env.example"), "utf8");

interface Row {
  names: string[];
  defaults: string[];
}

/** README's "## Configuration" table: the variables of each row and the backticked values of its default cell. */
function documentedRows(): Row[] {
  const section = /## Configuration\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
  const rows: Row[] = [];
  for (const line of section.split("\n")) {
    if (!/^\|\s*`[A-Z]/.test(line)) continue;
    const cells = line.replace(/\\\|/g, "¦").split("|").slice(1, -1);
    expect(cells.length, `${line}: variable, default, meaning`).toBe(3);
    const [names = "", defaults = ""] = cells;
    rows.push({
      names: [...names.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] as string),
      defaults: [...defaults.matchAll(/`([^`]*)`/g)].map((m) => m[1] as string),
    });
  }
  return rows;
}

/** What the schema gives a variable that is not set, as README would spell it; undefined when it has none. */
function schemaDefault(name: string): string | undefined {
  const field = envSchema.shape[name as keyof typeof envSchema.shape];
  const parsed = field.safeParse(undefined);
  if (!parsed.success) return undefined;
  const value: unknown = parsed.data;
  if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0 && name !== "EXTRA_REALMS"))
    return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

describe("README's configuration table matches the config schema", () => {
  const rows = documentedRows();
  const documented = rows.flatMap((row) => row.names);

  it("lists every variable loadConfig reads, and no other", () => {
    expect(rows.length).toBeGreaterThan(10); // the parser found the table
    expect(new Set(documented).size, "a variable is listed twice").toBe(documented.length);
    expect([...documented].sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it("gives each variable the schema's default", () => {
    for (const row of rows) {
      row.names.forEach((name, index) => {
        const expected = schemaDefault(name);
        if (expected === undefined) return;
        const shown = row.names.length > 1 ? row.defaults[index] : row.defaults[0];
        expect(shown, `README default of ${name}`).toBe(expected);
      });
    }
  });

  it("names only known variables in .env.example", () => {
    const names = [...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(Object.keys(envSchema.shape), `.env.example: ${name}`).toContain(name);
  });
});
