import { sql } from "drizzle-orm";

export interface PageRequest {
  page: number;
  pageSize: number;
}

export const offsetOf = (page: PageRequest) => (page.page - 1) * page.pageSize;

/** A user's search text as a LIKE pattern that matches it literally (no wildcards of theirs). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** count(*) as a JS number on both drivers (pg returns bigint as a string, PGlite as a number). */
export const countAll = sql<number>`count(*)`.mapWith(Number);
