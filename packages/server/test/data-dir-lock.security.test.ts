import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDirLockedError, lockDataDir } from "../src/db/data-dir-lock.ts";
import { childEnv, type RunningChild, spawnChild, stopAllChildren } from "./support/child-process.ts";

const rounds = 50;
const contendersPerRound = 2;

/**
 * A separate process that, per stdin line `{"dir","startAt"}`, spins until the wall-clock instant
 * `startAt` (so all contenders start together), calls lockDataDir and answers "won" or "lost <message>",
 * then holds what it won until a "release" line. Long-lived: one tsx start-up, not one per round.
 */
const contenderScript = `
  import readline from "node:readline";
  import { lockDataDir } from "./packages/server/src/db/data-dir-lock.ts";
  let release = () => {};
  readline.createInterface({ input: process.stdin }).on("line", (line) => {
    if (line === "release") {
      release();
      release = () => {};
      console.log("released");
      return;
    }
    const { dir, startAt } = JSON.parse(line);
    while (performance.timeOrigin + performance.now() < startAt) {}
    try {
      release = lockDataDir(dir);
      console.log("won");
    } catch (error) {
      console.log("lost " + error.message);
    }
  });
  console.log("ready");
`;

interface Contender {
  pid: number;
  send(line: string): void;
  /** The next line the contender prints. */
  next(): Promise<string>;
}

function startContender(): Contender {
  const running: RunningChild = spawnChild(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", contenderScript],
    { env: childEnv({}) },
  );
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let partial = "";
  running.child.stdout?.on("data", (chunk) => {
    const parts = (partial + String(chunk)).split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) {
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  return {
    pid: running.child.pid as number,
    send: (line) => running.child.stdin?.write(`${line}\n`),
    next: () => {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

const contenders: Contender[] = [];
let deadPid: number;
beforeAll(async () => {
  for (let i = 0; i < contendersPerRound; i++) contenders.push(startContender());
  for (const contender of contenders) expect(await contender.next()).toBe("ready");
  const gone = spawnChild(process.execPath, ["-e", ""], { env: childEnv({}) });
  await gone.wait();
  deadPid = gone.child.pid as number;
});
afterAll(stopAllChildren);

describe("lockDataDir take-over of a stale lock (issue 13, defect 4)", () => {
  it(`gives a dead owner's lock to exactly one of ${contendersPerRound} processes racing for it, ${rounds} rounds`, async () => {
    expect(() => process.kill(deadPid, 0)).toThrow(); // the stale lock's owner really is gone
    const failures: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-lock-race-"));
      try {
        fs.writeFileSync(path.join(dir, "gatehouse.lock"), String(deadPid));
        // Far enough ahead that every contender has the line before the instant comes. Starting exactly
        // together is not the worst case (both delete, both create, one gets EEXIST): a later contender must
        // read the stale pid before, and delete after, an earlier one's steps, so the gap between starts
        // sweeps 0-180 µs over the rounds.
        const startAt = Date.now() + 25;
        const gap = (round % 10) * 0.02;
        contenders.forEach((contender, i) => {
          contender.send(JSON.stringify({ dir, startAt: startAt + i * gap }));
        });
        const answers = await Promise.all(contenders.map((contender) => contender.next()));

        const winners = contenders.filter((_, i) => answers[i] === "won");
        const lock = fs.readFileSync(path.join(dir, "gatehouse.lock"), "utf8");
        const leftovers = fs.readdirSync(dir).filter((name) => name !== "gatehouse.lock");
        // Losers refuse with the clear message, naming a live contender (with two: the winner).
        const refusals = answers.filter((answer) => answer !== "won");
        const clearRefusals = refusals.filter((answer) =>
          contenders.some((c) => answer === `lost ${new DataDirLockedError(dir, c.pid).message}`),
        );
        if (
          winners.length !== 1 ||
          lock !== String(winners[0]?.pid) ||
          clearRefusals.length !== refusals.length ||
          leftovers.length > 0
        ) {
          failures.push(
            `round ${round}: ${winners.length} owners, lock ${lock}, ${JSON.stringify({ answers, leftovers })}`,
          );
        }

        for (const contender of contenders) contender.send("release");
        for (const contender of contenders) expect(await contender.next()).toBe("released");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    expect(failures).toEqual([]);
  });

  it("refuses while a live process holds the take-over claim; takes over a claim its dead holder left", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-lock-claim-"));
    try {
      const lock = path.join(dir, "gatehouse.lock");
      fs.writeFileSync(lock, String(deadPid));
      const claim = `${lock}.${fs.statSync(lock, { bigint: true }).ino}.takeover`;
      const claimant = contenders[0]?.pid as number; // alive: mid take-over
      fs.writeFileSync(claim, String(claimant));
      expect(() => lockDataDir(dir)).toThrow(new DataDirLockedError(dir, claimant).message);
      expect(fs.readFileSync(lock, "utf8")).toBe(String(deadPid));

      fs.writeFileSync(claim, String(deadPid)); // the claimant died mid take-over
      const release = lockDataDir(dir);
      expect(fs.readFileSync(lock, "utf8")).toBe(String(process.pid));
      expect(fs.readdirSync(dir)).toEqual(["gatehouse.lock"]);
      release();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
