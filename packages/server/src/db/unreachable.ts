/**
 * PostgreSQL that cannot be reached or entered, said so an operator can act: the variable, the host
 * and port (never the password), and the driver's reason in one line. No stack trace.
 */
export class DatabaseUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnreachableError";
  }
}

/** Where DATABASE_URL points, without credentials: `host:port/database`. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || "5432"}${url.pathname === "/" ? "" : url.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

/** The error of a first connection, as a DatabaseUnreachableError naming DATABASE_URL and the host. */
export function unreachable(error: unknown, databaseUrl: string): DatabaseUnreachableError {
  const where = describeDatabaseUrl(databaseUrl);
  const e = error as { code?: string; message?: string } | null;
  const reason = (e?.message ?? String(error)).split("\n")[0];
  const hint =
    e?.code === "3D000"
      ? "the database does not exist: create it (createdb) or fix the name"
      : e?.code === "28P01" || e?.code === "28000"
        ? "the server refused the user or password"
        : e?.code === "ENOTFOUND" || e?.code === "EAI_AGAIN"
          ? "the host name does not resolve"
          : "is PostgreSQL running, and are host and port right?";
  return new DatabaseUnreachableError(`DATABASE_URL: cannot use PostgreSQL at ${where} (${reason}): ${hint}.`, {
    cause: error,
  });
}
