import { GatehouseError } from "@gatehouse/core";

/** What one cleanup run did (jobs/cleanup.ts). */
export interface CleanupReport {
  /** False when another runner held the lock: this run deleted nothing. */
  ran: boolean;
  /** Rows deleted per target (`sessions`, `resetTokens`, …). */
  deleted: Record<string, number>;
  batches: number;
  durationMs: number;
}

export interface SystemDeps {
  /** Answers when the database does; throws otherwise. */
  pingDatabase(): Promise<void>;
  databaseDialect: string;
  /** Runs the expired-row cleanup (jobs/cleanup.ts) once, for the given trigger. */
  cleanup(trigger: "cron"): Promise<CleanupReport>;
}

/** Readiness and the cron-triggered cleanup, so the system routes too only speak HTTP. */
export function systemUseCases(deps: SystemDeps) {
  return {
    async readiness(): Promise<{ status: "ready"; database: string }> {
      try {
        await deps.pingDatabase();
      } catch (cause) {
        throw new GatehouseError("storage_unavailable", { cause });
      }
      return { status: "ready", database: deps.databaseDialect };
    },
    cleanup: () => deps.cleanup("cron"),
  };
}

export type SystemUseCases = ReturnType<typeof systemUseCases>;
