import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/**
 * Counts the SQL statements the process sends, on either driver: node-postgres pool clients go
 * through Client#query, PGlite through query/exec. Install once per test file.
 */
export function installQueryCounter() {
  const statements: string[] = [];
  let recording = false;
  const record = (text: unknown) => {
    if (!recording) return;
    statements.push(typeof text === "string" ? text : String((text as { text?: string })?.text ?? text));
  };
  const wrap = <T extends object>(proto: T, method: keyof T) => {
    const original = proto[method] as unknown as (...args: unknown[]) => unknown;
    (proto as Record<keyof T, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
      record(args[0]);
      return original.apply(this, args);
    };
    return () => {
      (proto as Record<keyof T, unknown>)[method] = original;
    };
  };
  const restore = [wrap(pg.Client.prototype, "query"), wrap(PGlite.prototype, "query"), wrap(PGlite.prototype, "exec")];
  return {
    /** The statements `run` sent (and only those). */
    async count(run: () => Promise<unknown>): Promise<string[]> {
      statements.length = 0;
      recording = true;
      try {
        await run();
      } finally {
        recording = false;
      }
      return [...statements];
    },
    uninstall: () => {
      for (const undo of restore) undo();
    },
  };
}
