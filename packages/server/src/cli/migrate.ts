import type { Command } from "commander";
import { withCliContext } from "./open-context.ts";

/** `migrate`: applies the committed migrations (the server also does on start). */
export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply database migrations (DATABASE_URL, else the PGlite data dir)")
    .action(async () => {
      await withCliContext(process.env, async ({ config, database }) => {
        // Never print DATABASE_URL: it may carry a password.
        const where = database.dialect === "postgres" ? "PostgreSQL (DATABASE_URL)" : `PGlite at ${config.dataDir}`;
        process.stdout.write(`Migrations applied to ${where}.\n`);
      });
    });
}
