import { defineConfig } from "drizzle-kit";

// ChamaHub's own migration set; applied with the `chamahub_migrations` journal table (src/db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./packages/chamahub/src/db/schema.ts",
  out: "./packages/chamahub/drizzle",
  migrations: { table: "chamahub_migrations" },
});
