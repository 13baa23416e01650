import { seedChamaHubOnEmpty } from "./chamahub-demo.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { DataDirLockedError } from "./db/data-dir-lock.ts";
import { openDatabase } from "./db/database.ts";
import { DatabaseUnreachableError } from "./db/unreachable.ts";
import { buildApp } from "./http/app.ts";
import { createLogger } from "./http/logger.ts";
import { startCleanupSchedule } from "./jobs/cleanup-schedule.ts";
import { seedDemoAccounts } from "./seed-demo.ts";
import { buildServices } from "./services.ts";
import { resolveSessionSecret } from "./session-secret.ts";
import { listenOrExplain, missingAdminHint, StartupError } from "./startup.ts";

/** Wires configuration, storage and HTTP, then listens. The only place that starts a server. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, pretty: config.logFormat === "pretty" });
  for (const warning of config.warnings) logger.warn(warning);

  const database = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
  );
  await database.migrate();
  const ctx = buildServices(config, database, { sessionSecret: resolveSessionSecret(config), logger });
  const app = await buildApp(ctx, { logger });

  const stopCleanup = startCleanupSchedule(ctx, logger);
  const stopChamaHubJobs = ctx.useCases.chamaHub.startBackground();
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    stopCleanup();
    await stopChamaHubJobs();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  // The port first: what is printed below (demo passwords, shown once) must never be followed by a crash.
  try {
    await listenOrExplain(app, config);
  } catch (error) {
    stopCleanup();
    await stopChamaHubJobs();
    await app.close().catch(() => {});
    await database.close().catch(() => {}); // releases the data-dir lock
    throw error;
  }
  const demo = [...(await seedDemoAccounts(ctx)), ...(await seedChamaHubOnEmpty(ctx))];
  if (demo.length > 0) process.stdout.write(`\n${demo.join("\n")}\n\n`);
  const hint = await missingAdminHint(ctx);
  if (hint.length > 0) process.stdout.write(`\n${hint.join("\n")}\n\n`);
  logger.info({ url: config.publicUrl.origin, database: database.dialect }, "Gatehouse is listening");
}

const explained = [ConfigError, DataDirLockedError, DatabaseUnreachableError, StartupError];

main().catch((error: unknown) => {
  if (explained.some((type) => error instanceof type)) {
    process.stderr.write(`${(error as Error).message}\n`);
  } else {
    process.stderr.write(
      `Gatehouse failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
