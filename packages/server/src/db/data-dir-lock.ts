import fs from "node:fs";
import path from "node:path";

/**
 * Exactly one process may open a PGlite data dir: two get no error and silently lose writes.
 * The lock file holds the owner's pid; a lock left by a dead process is taken over.
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
 * Creates `file` holding `content` in one atomic step: written under a private name, then hard-linked
 * into place (link fails with EEXIST if the lock exists). A reader never sees an empty lock file.
 */
function createWithContent(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(temporary, content, { flag: "wx" });
  try {
    fs.linkSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Takes the lock or throws DataDirLockedError; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  // realpath: the same dir reached through a symlink is still the same lock.
  const file = path.join(fs.realpathSync(dataDir), "gatehouse.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      createWithContent(file, String(process.pid));
      heldByThisProcess.add(file);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldByThisProcess.delete(file);
        fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(fs.readFileSync(file, "utf8"), 10);
      if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
        throw new DataDirLockedError(dataDir, owner);
      }
      if (owner === process.pid && heldByThisProcess.has(file)) throw new DataDirLockedError(dataDir, owner);
      fs.rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}
