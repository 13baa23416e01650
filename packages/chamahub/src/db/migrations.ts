import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * ChamaHub's migration set: its own folder and its own journal table, so it never conflicts with the
 * server's migrations (or another package's). The server applies it after its own (db/database.ts).
 */
export const chamaHubMigrations = {
  migrationsFolder: path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../drizzle"),
  migrationsTable: "chamahub_migrations",
} as const;
