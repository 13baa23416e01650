import type { FastifyBaseLogger } from "fastify";
import type { AppContext } from "../http/context.ts";
import { runCleanup } from "./cleanup.ts";

/**
 * Runs the cleanup every CLEANUP_INTERVAL_SECONDS (0 = never) on every node; the lock lets one of them
 * work and the others skip. The timer never keeps the process alive. Returns the stop function.
 */
export function startCleanupSchedule(ctx: AppContext, logger: FastifyBaseLogger): () => void {
  const intervalSeconds = ctx.config.cleanup.intervalSeconds;
  if (intervalSeconds === 0) return () => {};
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return; // a slow run is never stacked
    running = runCleanup(ctx, { trigger: "schedule" })
      .then((report) => {
        if (report.ran) logger.info({ cleanup: report }, "cleanup ran");
      })
      .catch((error: unknown) => logger.error({ err: error }, "cleanup failed"))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
