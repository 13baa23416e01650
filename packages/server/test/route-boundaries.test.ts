import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Routes only speak HTTP: they call use cases (app/) through a RouteContext and never reach a store,
 * the database or a Pg* class. A rule that needs storage belongs in a use case.
 */
const routesDir = path.join(import.meta.dirname, "../src/routes");

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? routeFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

const forbidden: Array<[RegExp, string]> = [
  [/from\s+"[^"]*\/stores\//, "imports a store"],
  [/from\s+"[^"]*\/db\//, "imports the database layer"],
  [/\bPg[A-Z]\w*/, "names a Pg* class"],
  [/\bctx\.(database|sessions|principals|auth|passwords|audit|permissions)\b/, "reaches past the use cases"],
  [/\bAppContext\b/, "takes the full AppContext instead of a RouteContext"],
];

describe("route files", () => {
  const files = routeFiles(routesDir);

  it("exist (the scan is looking in the right place)", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it("import nothing from stores/ or db/, name no Pg* class, and use only the RouteContext", () => {
    const violations = files.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return forbidden
        .filter(([pattern]) => pattern.test(text))
        .map(([, why]) => `${path.relative(routesDir, file)} ${why}`);
    });
    expect(violations).toEqual([]);
  });

  it("the check itself catches a violation", () => {
    const sample = 'import { PgSessionStore } from "../../stores/pg-session-store.ts";\nctx.database.db';
    expect(forbidden.filter(([pattern]) => pattern.test(sample)).length).toBeGreaterThanOrEqual(3);
  });
});
