import type { FastifyInstance } from "fastify";
import type { Config } from "./config.ts";
import type { AppContext } from "./http/context.ts";

/** A start-up failure whose message is already what the operator should read (no stack trace). */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartupError";
  }
}

/**
 * Binds the port, or says which one is taken. Called before anything is created that the operator
 * would need to see (the demo accounts' passwords are printed once), so a busy port loses nothing.
 */
export async function listenOrExplain(app: FastifyInstance, config: Readonly<Config>): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const where = `${config.host}:${config.port}`;
    if (code === "EADDRINUSE") {
      throw new StartupError(
        `PORT: ${config.port} is already in use on ${config.host} (another Gatehouse?). Stop that process or set PORT to a free port.`,
        { cause: error },
      );
    }
    if (code === "EACCES") {
      throw new StartupError(`PORT: not allowed to listen on ${where}; use a port above 1023.`, { cause: error });
    }
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
      throw new StartupError(`HOST: ${config.host} is not an address of this machine (${code}).`, { cause: error });
    }
    throw error;
  }
}

/**
 * In production no demo account is made: when a realm that offers the admin API has no account yet,
 * the lines that say how to create one (empty when every such realm has one).
 */
export async function missingAdminHint(ctx: AppContext): Promise<string[]> {
  if (ctx.config.nodeEnv !== "production") return [];
  const lines: string[] = [];
  // The CLI creates accounts of the built-in admin realm (`admin create`).
  for (const realm of ctx.realms.adminRealms().filter((r) => r.name === "admin")) {
    const { count } = await ctx.useCases.admin.listPrincipals({ realm: realm.name }, { page: 1, pageSize: 1 });
    if (count > 0) continue;
    lines.push(
      `No ${realm.name} account exists yet. Create the first one with:`,
      `  npm run cli -- admin create --email you@example.com     (from a checkout)`,
      `  node dist/cli.js admin create --email you@example.com   (from the production build or the container)`,
    );
  }
  return lines;
}
