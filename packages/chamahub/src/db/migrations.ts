import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Where the SQL files are: `chamahub-drizzle/` beside the production bundle (main.js, or one level up
 * from a bundle chunk; packages/server/scripts/build.mjs copies it there), else the package's own
 * `drizzle/` beside these sources.
 */
const migrationsFolder =
  [path.resolve(here, "chamahub-drizzle"), path.resolve(here, "../chamahub-drizzle")].find((dir) =>
    existsSync(path.join(dir, "meta/_journal.json")),
  ) ?? path.resolve(here, "../../drizzle");

/**
 * ChamaHub's migration set: its own folder and its own journal table, so it never conflicts with the
 * server's migrations (or another package's). The server applies it after its own (db/database.ts).
 */
export const chamaHubMigrations = { migrationsFolder, migrationsTable: "chamahub_migrations" } as const;
