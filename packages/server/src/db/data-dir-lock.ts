import fs from "node:fs";
import path from "node:path";

/**
 * Exactly one process may open a PGlite data dir: two get no error and silently lose writes.
 * The lock file holds the owner's pid; a lock left by a dead process is taken over.
 *
 * Known gap: when the dead owner's pid has been reused by an unrelated process, the lock looks live and
 * the start is refused with a misleading "in use" message (delete `gatehouse.lock` by hand then).
 */
export class DataDirLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The data dir ${dataDir} is in use by process ${pid} (probably the running server). ` +
        "Stop it first, or point DATABASE_URL at a PostgreSQL server that several processes can share.",
    );
    this.name = "DataDirLockedError";
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Lock files this process holds. A lock naming our own pid that is not in here was left by an earlier
 * process that had the same pid (in a container the server is pid 1 on every start), so it is stale.
 */
const heldByThisProcess = new Set<string>();

/**
 * Our pid under a private name next to `file`, to be linked or renamed into place: either puts the
 * whole content there in one step, so a reader never sees an empty lock file.
 */
function privateCopy(file: string): string {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(temporary, String(process.pid), { flag: "wx" });
  return temporary;
}

/** Creates `file` holding our pid; link fails with EEXIST if it exists. */
function create(file: string): void {
  const temporary = privateCopy(file);
  try {
    fs.linkSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Replaces `file` by one holding our pid (rename over it). Only for a stale file whose claim we hold. */
function replace(file: string): void {
  const temporary = privateCopy(file);
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * The inode of `file` if its owner is gone, undefined if there is no file; throws DataDirLockedError if a
 * live process owns it. Pid and inode come through one descriptor, so they belong to the same file.
 */
function staleInode(file: string, dataDir: string): bigint | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const owner = Number.parseInt(fs.readFileSync(fd, "utf8"), 10);
    const live = owner === process.pid ? heldByThisProcess.has(file) : processAlive(owner);
    if (Number.isInteger(owner) && live) throw new DataDirLockedError(dataDir, owner);
    return fs.fstatSync(fd, { bigint: true }).ino;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Makes `file` ours or throws DataDirLockedError. Taking over a stale file is the racy part: with "read
 * the dead pid, delete, create", a contender that read the same dead pid deletes the winner's fresh lock
 * and both own it (issue 13). Renaming over it and re-reading is not enough either: a slower contender
 * renames over the winner after the winner checked. So a stale inode is replaced only by the holder of
 * its claim file `<file>.<inode>.takeover`, taken with this same function (one holder; a claim left by a
 * process that died mid take-over is stale and taken over the same way). Contenders meet the claim's
 * live pid and refuse, like they would the lock's.
 */
function acquire(file: string, dataDir: string): void {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      create(file);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const stale = staleInode(file, dataDir);
    if (stale === undefined) continue; // released meanwhile: create again
    const claim = `${file}.${stale}.takeover`;
    acquire(claim, dataDir);
    try {
      // Still that stale inode (and still a dead pid: inode numbers are reused)? Then it is ours to
      // replace: nobody else holds its claim. Anything else: taken over before we claimed; look again.
      if (staleInode(file, dataDir) === stale) {
        replace(file);
        return;
      }
    } finally {
      fs.rmSync(claim, { force: true });
    }
  }
  throw new Error(`Could not lock ${file}`);
}

/** Takes the lock or throws DataDirLockedError; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  // realpath: the same dir reached through a symlink is still the same lock.
  const file = path.join(fs.realpathSync(dataDir), "gatehouse.lock");
  acquire(file, dataDir);
  heldByThisProcess.add(file);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    heldByThisProcess.delete(file);
    fs.rmSync(file, { force: true });
  };
}
