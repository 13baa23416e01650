import type { JobRow } from "./jobs/queue.ts";

/** A job as its starter and admins see it: never the payload (an import's CSV holds members' emails). */
export function toJobView(job: JobRow) {
  return {
    id: job.id,
    type: job.type,
    status: job.status as "queued" | "running" | "succeeded" | "failed",
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    progress: { done: job.progressDone, total: job.progressTotal },
    result: job.result ?? null,
    error: job.lastError,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
