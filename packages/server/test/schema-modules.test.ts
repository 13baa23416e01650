import { readdirSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as index from "../src/db/schema/index.ts";

// Every file of the schema folder must load on its own, whichever file a module graph reaches first:
// an import cycle between schema files once made one import order fail with a ReferenceError. Vitest's
// module runner does not reproduce that failure (vi.resetModules() + import() loaded the cyclic files
// fine), so each case runs in a fresh worker thread: its own graph of native ES modules, as under tsx.
const folder = new URL("../src/db/schema/", import.meta.url);
const files = readdirSync(folder)
  .filter((name) => name.endsWith(".ts"))
  .sort();

interface Loaded {
  file: string;
  exports: string[];
  undefinedExports: string[];
}

// Registers tsx, imports the files in order, and reports each one's exports (or the first error).
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  (await import("tsx/esm/api")).register();
  const loaded = [];
  for (const file of workerData.urls) {
    const exports = await import(file);
    const names = Object.keys(exports);
    loaded.push({ file, exports: names, undefinedExports: names.filter((name) => exports[name] === undefined) });
  }
  return loaded;
})().then(
  (loaded) => parentPort.postMessage({ loaded }),
  (error) => parentPort.postMessage({ error: String(error && error.stack || error) }),
);
`;

function loadInFreshGraph(names: string[]): Promise<Loaded[]> {
  const urls = names.map((name) => new URL(name, folder).href);
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: { urls } });
    worker.once("message", (message: { loaded?: Loaded[]; error?: string }) => {
      void worker.terminate();
      if (message.loaded) resolve(message.loaded);
      else reject(new Error(`loading ${names.join(", ")} failed: ${message.error}`));
    });
    worker.once("error", reject);
  });
}

const tablesOf = (exports: object): string[] =>
  Object.values(exports)
    .filter((value) => is(value, PgTable))
    .map((table) => getTableName(table as PgTable))
    .sort();

describe("schema modules", () => {
  it("finds the aggregate files and the index", () => {
    expect(files).toEqual(
      expect.arrayContaining(["abuse.ts", "audit.ts", "identity.ts", "index.ts", "reset-tokens.ts", "sessions.ts"]),
    );
  });

  it.each(files)("%s loads alone in a fresh module graph", async (file) => {
    const [loaded] = await loadInFreshGraph([file]);
    expect(loaded?.exports.length).toBeGreaterThan(0);
    expect(loaded?.undefinedExports).toEqual([]);
  });

  it.each([
    ["alphabetical", files],
    ["reverse", [...files].reverse()],
  ])("all files load into one fresh module graph in %s order", async (_order, ordered) => {
    const loaded = await loadInFreshGraph(ordered);
    expect(loaded.map((file) => file.undefinedExports)).toEqual(ordered.map(() => []));
  });

  it("the index exports every table of every aggregate file, and `schema` holds them all", async () => {
    const aggregateTables: string[] = [];
    for (const file of files.filter((name) => name !== "index.ts")) {
      aggregateTables.push(...tablesOf(await import(new URL(file, folder).href)));
    }
    aggregateTables.sort();
    expect(aggregateTables).toEqual(
      expect.arrayContaining(["audit_events", "otp_codes", "principals", "reset_tokens", "sessions"]),
    );
    expect(tablesOf(index)).toEqual(aggregateTables);
    expect(tablesOf(index.schema)).toEqual(aggregateTables);
  });
});
