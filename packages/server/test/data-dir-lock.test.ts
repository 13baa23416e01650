import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirLockedError, lockDataDir } from "../src/db/data-dir-lock.ts";
import { childEnv, spawnChild, stopAllChildren } from "./support/child-process.ts";

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-lock-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await stopAllChildren();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Another process that takes the lock on `dir`, says "locked" and holds it until killed. */
function holdLockInChild(dir: string) {
  const script = `
    import { lockDataDir } from "./packages/server/src/db/data-dir-lock.ts";
    lockDataDir(process.argv[1]);
    console.log("locked");
    setInterval(() => {}, 1000);
  `;
  return spawnChild(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, dir], {
    env: childEnv({}),
  });
}

describe("lockDataDir (one PGlite owner per data dir)", () => {
  it("writes the owner's pid and removes the lock on release", () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, "gatehouse.lock"), "utf8")).toBe(String(process.pid));
    // Written under a private name and linked into place: nothing else is left in the dir.
    expect(fs.readdirSync(dir)).toEqual(["gatehouse.lock"]);
    release();
    expect(fs.existsSync(path.join(dir, "gatehouse.lock"))).toBe(false);
    lockDataDir(dir)(); // free again
  });

  it("refuses a second lock in the same process", () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    } finally {
      release();
    }
  });

  it("refuses a second lock through a symlink to the same dir", () => {
    const dir = tempDir();
    const link = path.join(tempDir(), "link");
    fs.symlinkSync(dir, link);
    const release = lockDataDir(dir);
    try {
      expect(() => lockDataDir(link)).toThrow(DataDirLockedError);
    } finally {
      release();
    }
  });

  it("takes over a lock naming this process's pid that this process does not hold (pid 1 in a container)", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "gatehouse.lock"), String(process.pid));
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    release();
    expect(fs.existsSync(path.join(dir, "gatehouse.lock"))).toBe(false);
  });

  it("refuses while another live process holds it, naming that process, and takes over once it died", async () => {
    const dir = tempDir();
    const holder = holdLockInChild(dir);
    await holder.waitForOutput(/locked/, 30_000);
    const pid = holder.child.pid as number;

    expect(() => lockDataDir(dir)).toThrow(new DataDirLockedError(dir, pid).message);
    expect(fs.readFileSync(path.join(dir, "gatehouse.lock"), "utf8")).toBe(String(pid));

    // SIGKILL: the holder cannot release, so the lock file of a dead pid stays behind.
    holder.child.kill("SIGKILL");
    await holder.wait();
    expect(fs.readFileSync(path.join(dir, "gatehouse.lock"), "utf8")).toBe(String(pid));
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, "gatehouse.lock"), "utf8")).toBe(String(process.pid));
    // Written under a private name and linked into place: nothing else is left in the dir.
    expect(fs.readdirSync(dir)).toEqual(["gatehouse.lock"]);
    release();
  }, 60_000);

  it("takes over a stale lock file left by a pid that no longer exists", async () => {
    const dir = tempDir();
    const gone = spawnChild(process.execPath, ["-e", ""], { env: childEnv({}) });
    await gone.wait();
    fs.writeFileSync(path.join(dir, "gatehouse.lock"), String(gone.child.pid));
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, "gatehouse.lock"), "utf8")).toBe(String(process.pid));
    // Written under a private name and linked into place: nothing else is left in the dir.
    expect(fs.readdirSync(dir)).toEqual(["gatehouse.lock"]);
    release();
  });
});
