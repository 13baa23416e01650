import { chamaHubMigrations } from "@gatehouse/chamahub";

/**
 * Domain packages' migration sets, applied after the server's own. Each has its own folder and its
 * own journal table (drizzle's `migrationsTable`), so the sets are numbered independently.
 */
export const pluginMigrations: ReadonlyArray<{ migrationsFolder: string; migrationsTable: string }> = [
  chamaHubMigrations,
];
