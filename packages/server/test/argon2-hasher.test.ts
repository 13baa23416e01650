import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { argon2Hasher, createArgon2Hasher } from "../src/stores/argon2-hasher.ts";

/** Nice values of this process's threads (Linux: field 19 of /proc/self/task/TID/stat). */
function threadNiceValues(): number[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

describe("argon2id hasher", () => {
  it("hashes with the OWASP parameters and verifies the right password only", async () => {
    const stored = await argon2Hasher.hash("Correct-Horse-42");
    expect(stored.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true);
    expect(await argon2Hasher.verify(stored, "Correct-Horse-42")).toBe(true);
    expect(await argon2Hasher.verify(stored, "Correct-Horse-43")).toBe(false);
  });

  it("answers false for a malformed stored hash instead of throwing", async () => {
    expect(await argon2Hasher.verify("not-a-hash", "anything")).toBe(false);
  });

  it("keeps concurrent jobs apart: each answer belongs to its own request", async () => {
    const passwords = Array.from({ length: 6 }, (_, i) => `Parallel-Password-${i}`);
    const hashes = await Promise.all(passwords.map((p) => argon2Hasher.hash(p)));
    const checks = await Promise.all(hashes.map((h, i) => argon2Hasher.verify(h, passwords[(i + 1) % 6] as string)));
    expect(checks).toEqual(passwords.map(() => false));
    expect(await Promise.all(hashes.map((h, i) => argon2Hasher.verify(h, passwords[i] as string)))).toEqual(
      passwords.map(() => true),
    );
  });

  it.runIf(process.platform === "linux")(
    "hashes on a lower-priority thread when told to, leaving the event loop's priority alone",
    async () => {
      await createArgon2Hasher({ nice: 19 }).hash("Warm-The-Pool-1");
      expect(threadNiceValues()).toContain(19);
      // The event loop's own thread (the process's main thread: tid = pid) keeps its own priority.
      const main = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
      expect(Number(main.slice(main.lastIndexOf(")") + 2).split(" ")[16])).toBeLessThan(19);
    },
  );
});
