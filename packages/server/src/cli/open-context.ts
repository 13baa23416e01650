import { randomBytes } from "node:crypto";
import pino from "pino";
import { type Config, loadConfig } from "../config.ts";
import { type Database, openDatabase } from "../db/database.ts";
import type { AppContext } from "../http/context.ts";
import { createLogger } from "../http/logger.ts";
import { buildServices } from "../services.ts";
import { existingSessionSecret } from "../session-secret.ts";

export interface CliContext {
  config: Readonly<Config>;
  database: Database;
  ctx: AppContext;
  close(): Promise<void>;
}

/**
 * Opens the configured database (DATABASE_URL, else the PGlite data dir, which takes the single-owner
 * lock and so refuses while the server runs), applies migrations and wires the services.
 * Logs stay silent unless LOG_LEVEL is set, and go to stderr so stdout carries only the result.
 */
export async function openCliContext(env: NodeJS.ProcessEnv): Promise<CliContext> {
  const config = loadConfig({ LOG_LEVEL: "silent", ...env });
  const logger = createLogger({ level: config.logLevel, destination: pino.destination({ dest: 2, sync: true }) });
  for (const warning of config.warnings) logger.warn(warning);

  const database = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl, poolSize: 2 } : { dataDir: config.dataDir },
  );
  try {
    await database.migrate();
    // The CLI signs no cookies or CSRF tokens, so it does not create the data dir's secret file as a
    // side effect (resolveSessionSecret would). It reads an existing one, because the throttle's
    // account keys derive from it (`throttle clear --email`); a throwaway key suffices otherwise.
    const sessionSecret =
      config.sessionSecret ?? existingSessionSecret(config) ?? randomBytes(48).toString("base64url");
    const ctx = buildServices(config, database, { sessionSecret, logger });
    const close = async () => {
      await ctx.abuse.close();
      await ctx.sessionBus.close();
      await database.close();
    };
    return { config, database, ctx, close };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/** Runs `work` with an open context and always closes it (releasing the data-dir lock). */
export async function withCliContext<T>(env: NodeJS.ProcessEnv, work: (cli: CliContext) => Promise<T>): Promise<T> {
  const cli = await openCliContext(env);
  try {
    return await work(cli);
  } finally {
    await cli.close();
  }
}
