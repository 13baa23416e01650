import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

/**
 * `engines` tells the truth: the oldest Node it admits satisfies every locked dependency's own
 * `engines` (otherwise `npm install` prints EBADENGINE on a Node we call supported), and CI and the
 * container run that line.
 */
const root = path.join(import.meta.dirname, "../../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const pkg = JSON.parse(read("package.json")) as { engines: { node: string } };
const lock = JSON.parse(read("package-lock.json")) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const oldest = semver.minVersion(pkg.engines.node);

describe("engines.node", () => {
  it("is a range with a lower bound on an LTS line (even major)", () => {
    expect(oldest).not.toBeNull();
    expect((oldest?.major ?? 1) % 2).toBe(0);
  });

  it("admits no Node that a locked dependency refuses", () => {
    const refusing: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!where || !range || !oldest) continue;
      if (!semver.satisfies(oldest, range)) refusing.push(`${where}@${entry.version}: node ${range}`);
    }
    expect(refusing).toEqual([]);
  });

  it("is the line CI runs the suite on and the container ships", () => {
    expect(read(".ci/run")).toContain(`node@${oldest?.major}`);
    expect(read("Dockerfile")).toMatch(new RegExp(`^FROM node:${oldest?.major}[.-]`, "m"));
  });
});
