import type { SQL } from "drizzle-orm";
import type { Database } from "../../src/db/database.ts";

/** Rows of a raw query on either driver (both drizzle drivers answer `{ rows }`). */
export async function selectRows<T>(database: Database, query: SQL): Promise<T[]> {
  const result = (await database.db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
