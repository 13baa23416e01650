import { GatehouseError, StorageUnavailableError } from "@gatehouse/core";

/**
 * SQLSTATE classes that mean "the database is not there for us right now", not "your query is wrong":
 * connection (08), invalid catalog name — the database was dropped (3D), insufficient resources (53),
 * operator intervention such as shutdown (57), system errors (58).
 */
const unavailableClasses = new Set(["08", "3D", "53", "57", "58"]);

/** True for connection failures, shut-down servers, exhausted resources and closed PGlite instances. */
export function isUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return unavailableClasses.has(e.code.slice(0, 2));
  if (e.cause && e.cause !== error && isUnavailable(e.cause)) return true;
  const message = typeof e.message === "string" ? e.message : "";
  return (
    (typeof e.code === "string" && /^E[A-Z]+/.test(e.code)) ||
    /PGlite is closed|Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
  );
}

/** Runs a store operation and turns an unreachable database into StorageUnavailableError (fail closed). */
export async function guardStorage<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof GatehouseError) throw error;
    if (isUnavailable(error)) throw new StorageUnavailableError(error);
    throw error;
  }
}

/** PostgreSQL's unique_violation, whether raised by pg or PGlite, possibly wrapped by drizzle. */
/**
 * A row still referenced: a foreign-key (23503) or `ON DELETE RESTRICT` (23001) violation, on either
 * driver (drizzle wraps the driver's error in `cause`).
 */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  if (e.code === "23503" || e.code === "23001") return true;
  return e.cause !== undefined && e.cause !== error && isForeignKeyViolation(e.cause);
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  return e.code === "23505" || (e.cause !== undefined && e.cause !== error && isUniqueViolation(e.cause));
}
