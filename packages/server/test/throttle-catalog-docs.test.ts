import { readFileSync } from "node:fs";
import path from "node:path";
import { buildThrottleCatalog, defaultThrottlePolicy, describeThrottleCatalog } from "@gatehouse/core";
import { describe, expect, it } from "vitest";

const doc = readFileSync(path.join(import.meta.dirname, "../../../docs/abuse-protection.md"), "utf8");

/** The rows of the markdown table between the catalog markers, as cells. */
function documentedRows(): string[][] {
  const section = /<!-- throttle-catalog:start -->\n([\s\S]*?)\n<!-- throttle-catalog:end -->/.exec(doc)?.[1] ?? "";
  return section
    .split("\n")
    .slice(2) // header and separator
    .map((line) =>
      line
        .replace(/^\|\s*|\s*\|$/g, "")
        .split(/\s*\|\s*/)
        .map((cell) => cell.trim()),
    );
}

describe("docs/abuse-protection.md", () => {
  it("lists exactly the throttle catalog, with the default budgets and the outcomes that count", () => {
    expect(documentedRows()).toEqual(describeThrottleCatalog(buildThrottleCatalog(), defaultThrottlePolicy));
  });

  it("names every catalogued action's failure codes as codes of the error catalog", async () => {
    const { errorCatalog } = await import("@gatehouse/core");
    for (const rule of Object.values(buildThrottleCatalog())) {
      if (rule.kind === "attempts") for (const code of rule.failures) expect(errorCatalog).toHaveProperty(code);
    }
  });
});
