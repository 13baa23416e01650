import type { CleanupReport } from "../app/system.ts";
import { recordEvent } from "../audit/record-event.ts";
import type { AppContext } from "../http/context.ts";
import { type CleanupTarget, defaultCleanupTargets } from "./cleanup-targets.ts";

/** Arbitrary constant: the advisory lock that makes one node at a time the cleanup runner. */
export const cleanupLockKey = 7_302_519_885;

export type CleanupTrigger = "schedule" | "cron" | "cli";

export type { CleanupReport };

export interface CleanupProgress {
  target: string;
  /** Rows this batch deleted (at most the batch size). */
  deleted: number;
  /** Rows of this target deleted so far in this run. */
  total: number;
}

export interface CleanupOptions {
  trigger: CleanupTrigger;
  targets?: readonly CleanupTarget[];
  /** Rows per statement; defaults to CLEANUP_BATCH_SIZE. */
  batchSize?: number;
  /** Called after every batch (the CLI draws its progress bar from it). */
  onBatch?: (progress: CleanupProgress) => void | Promise<void>;
}

/**
 * Deletes expired rows of every target in bounded batches, under a lock so only one runner works at a
 * time across all nodes. "Expired" is judged once, at the start, by the injected clock. Used by the
 * schedule, the cron endpoint and the CLI (`runCleanup(ctx, { trigger: "cli", onBatch })`).
 */
export async function runCleanup(ctx: AppContext, options: CleanupOptions): Promise<CleanupReport> {
  const started = performance.now();
  const deleted: Record<string, number> = {};
  const release = await ctx.database.tryLock(cleanupLockKey);
  if (!release) return { ran: false, deleted, batches: 0, durationMs: 0 };
  let batches = 0;
  try {
    const now = ctx.clock.now();
    const limit = options.batchSize ?? ctx.config.cleanup.batchSize;
    for (const target of options.targets ?? defaultCleanupTargets) {
      deleted[target.name] = 0;
      for (;;) {
        const count = await target.deleteBatch(ctx.database.db, now, limit);
        batches += 1;
        deleted[target.name] = (deleted[target.name] ?? 0) + count;
        await options.onBatch?.({ target: target.name, deleted: count, total: deleted[target.name] ?? 0 });
        if (count < limit) break;
      }
    }
  } finally {
    await release();
  }
  const durationMs = Math.round(performance.now() - started);
  await recordEvent(ctx, null, {
    type: "cleanup_ran",
    actor: `system:${options.trigger}`,
    details: { deleted, batches, durationMs },
  });
  return { ran: true, deleted, batches, durationMs };
}

/** Expired rows per target that can count them, without deleting: the CLI's progress-bar total, or a dry run. */
export async function cleanupBacklog(
  ctx: AppContext,
  targets: readonly CleanupTarget[] = defaultCleanupTargets,
): Promise<Record<string, number>> {
  const now = ctx.clock.now();
  const backlog: Record<string, number> = {};
  for (const target of targets) {
    if (target.countExpired) backlog[target.name] = await target.countExpired(ctx.database.db, now);
  }
  return backlog;
}
