import { randomUUID } from "node:crypto";
import type { Clock } from "@gatehouse/core";
import { and, eq, sql } from "drizzle-orm";
import { jobs } from "../db/schema.ts";
import type { ChamaDb } from "../ports.ts";

export type JobRow = typeof jobs.$inferSelect;
export type JobStatus = "queued" | "running" | "succeeded" | "failed";

/** A job that has been running longer than this is presumed lost with its node and is claimed again. */
const staleAfterMs = 10 * 60_000;

/** Retry delay after the n-th failed attempt: 2 s, 4 s, 8 s … capped at 10 minutes. */
export const backoffMs = (attempt: number) => Math.min(2_000 * 2 ** (attempt - 1), 600_000);

/**
 * The durable queue in the database (docs/adr/0001-chamahub-job-queue.md). A claim is one UPDATE of
 * the oldest due row picked with `FOR UPDATE SKIP LOCKED`, so nodes never run the same job twice and
 * never wait for each other; a `dedupeKey` makes scheduled work (one interest run a month) unique.
 */
export class JobQueue {
  constructor(
    private readonly db: ChamaDb,
    private readonly clock: Clock,
  ) {}

  /** Enqueues a job; with a dedupe key already used, returns the existing job instead. */
  async enqueue(input: {
    type: string;
    payload: Record<string, unknown>;
    dedupeKey?: string | undefined;
    startedBy?: string | null;
    maxAttempts?: number;
    runAt?: Date;
  }): Promise<JobRow> {
    const now = this.clock.now();
    const [row] = await this.db
      .insert(jobs)
      .values({
        id: randomUUID(),
        type: input.type,
        payload: input.payload,
        dedupeKey: input.dedupeKey ?? null,
        startedBy: input.startedBy ?? null,
        maxAttempts: input.maxAttempts ?? 5,
        runAt: input.runAt ?? now,
        createdAt: now,
      })
      .onConflictDoNothing({ target: jobs.dedupeKey })
      .returning();
    if (row) return row;
    const [existing] = await this.db
      .select()
      .from(jobs)
      .where(eq(jobs.dedupeKey, input.dedupeKey ?? ""));
    if (!existing) throw new Error("job insert conflicted but no job has that dedupe key");
    return existing;
  }

  /** Claims the oldest due job (or one whose runner vanished), or null. */
  async claim(): Promise<JobRow | null> {
    const now = this.clock.now();
    const stale = new Date(now.getTime() - staleAfterMs);
    const rows = (await this.db.execute(sql`
      update ${jobs} set status = 'running', locked_at = ${now.toISOString()}::timestamptz, attempts = attempts + 1
      where id = (
        select id from ${jobs}
        where (status = 'queued' and run_at <= ${now.toISOString()}::timestamptz)
           or (status = 'running' and locked_at < ${stale.toISOString()}::timestamptz)
        order by run_at limit 1
        for update skip locked
      )
      returning id`)) as unknown as { rows: Array<{ id: string }> };
    const id = rows.rows[0]?.id;
    return id ? this.get(id) : null;
  }

  async get(id: string): Promise<JobRow | null> {
    const [row] = await this.db.select().from(jobs).where(eq(jobs.id, id));
    return row ?? null;
  }

  async progress(id: string, done: number, total: number): Promise<void> {
    await this.db.update(jobs).set({ progressDone: done, progressTotal: total }).where(eq(jobs.id, id));
  }

  async succeed(id: string, result: Record<string, unknown>): Promise<void> {
    await this.db
      .update(jobs)
      .set({ status: "succeeded", result, lockedAt: null, finishedAt: this.clock.now(), lastError: null })
      .where(and(eq(jobs.id, id), eq(jobs.status, "running")));
  }

  /**
   * A failed attempt: queued again after a backoff, or failed for good after the last attempt (or at
   * once when `permanent`, e.g. an import file with a bad row: retrying cannot fix it).
   */
  async fail(
    job: JobRow,
    error: { message: string; result?: Record<string, unknown>; permanent?: boolean },
  ): Promise<void> {
    const now = this.clock.now();
    const last = error.permanent || job.attempts >= job.maxAttempts;
    await this.db
      .update(jobs)
      .set(
        last
          ? {
              status: "failed",
              lastError: error.message,
              result: error.result ?? null,
              lockedAt: null,
              finishedAt: now,
            }
          : {
              status: "queued",
              lastError: error.message,
              lockedAt: null,
              runAt: new Date(now.getTime() + backoffMs(job.attempts)),
            },
      )
      .where(and(eq(jobs.id, job.id), eq(jobs.status, "running")));
  }
}
