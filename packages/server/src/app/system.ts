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
  /** Answers when Redis does; undefined when no Redis is configured. */
  pingRedis?: (() => Promise<void>) | undefined;
  /** How many committed migrations the database has not applied. */
  pendingMigrations(): Promise<number>;
  /** Runs the expired-row cleanup (jobs/cleanup.ts) once, for the given trigger. */
  cleanup(trigger: "cron"): Promise<CleanupReport>;
}

export type CheckStatus = "ok" | "unavailable" | "pending";
export interface Readiness {
  status: "ready";
  database: string;
  checks: Record<string, CheckStatus>;
}

/** A check that neither answers nor fails within this long counts as unavailable. */
const checkTimeoutMs = 2000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), checkTimeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Readiness and the cron-triggered cleanup, so the system routes too only speak HTTP. */
export function systemUseCases(deps: SystemDeps) {
  return {
    /**
     * Each configured dependency, checked now (Redis alongside the database): the database, Redis (only when
     * configured), and the migrations (all applied). Ready only when every one is `ok`; otherwise
     * `storage_unavailable` whose details name each check's state and the failing ones.
     */
    async readiness(): Promise<Readiness> {
      const probe = (work: () => Promise<CheckStatus>): Promise<CheckStatus> =>
        withTimeout(work()).catch(() => "unavailable" as const);
      const { pingRedis } = deps;
      const redis = pingRedis
        ? probe(async () => {
            await pingRedis();
            return "ok";
          })
        : undefined;
      const database = await probe(async () => {
        await deps.pingDatabase();
        return "ok";
      });
      // Without a database there is nothing to ask about migrations: said at once, not after a timeout.
      const migrations =
        database === "ok"
          ? await probe(async () => ((await deps.pendingMigrations()) === 0 ? "ok" : "pending"))
          : "unavailable";
      const checks: Record<string, CheckStatus> = { database, migrations };
      if (redis) checks.redis = await redis;
      const failing = Object.entries(checks)
        .filter(([, status]) => status !== "ok")
        .map(([name]) => name);
      if (failing.length > 0) throw new GatehouseError("storage_unavailable", { details: { checks, failing } });
      return { status: "ready", database: deps.databaseDialect, checks };
    },
    cleanup: () => deps.cleanup("cron"),
  };
}

export type SystemUseCases = ReturnType<typeof systemUseCases>;
