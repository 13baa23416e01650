import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const packageDir = path.resolve(import.meta.dirname, "..");
const outDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-node-build-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("@gatehouse/node builds to plain JavaScript with types", () => {
  it("compiles with tsc (the package's build) to .js and .d.ts that plain Node imports", async () => {
    const tsc = path.resolve(packageDir, "../../node_modules/typescript/bin/tsc");
    execFileSync(process.execPath, [tsc, "-p", path.join(packageDir, "tsconfig.build.json"), "--outDir", outDir], {
      stdio: "pipe",
    });
    const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
    for (const [entry, targets] of Object.entries<Record<string, string>>(manifest.exports)) {
      for (const file of [targets.default, targets.types]) {
        const built = path.join(outDir, path.relative("./dist", file as string));
        expect(existsSync(built), `${entry}: ${file}`).toBe(true);
      }
    }
    // Relative imports point at .js files, so Node runs the output without a loader.
    expect(readFileSync(path.join(outDir, "fastify.js"), "utf8")).toContain('from "./verifier.js"');
    const index = await import(pathToFileURL(path.join(outDir, "index.js")).href);
    expect(typeof index.GatehouseVerifier).toBe("function");
    const next = await import(pathToFileURL(path.join(outDir, "next.js")).href);
    expect(typeof next.withSession).toBe("function");
  }, 120_000);
});
