import type { JobQueue, JobRow } from "./queue.ts";

/** Thrown by a handler when retrying cannot help (a bad import row): the job fails at once, with a result. */
export class PermanentJobError extends Error {
  constructor(
    message: string,
    readonly result: Record<string, unknown>,
  ) {
    super(message);
    this.name = "PermanentJobError";
  }
}

export interface JobContext {
  /** Records progress (done of total) where `GET /api/jobs/{id}` reads it. */
  progress(done: number, total: number): Promise<void>;
}

export type JobHandler = (job: JobRow, context: JobContext) => Promise<Record<string, unknown>>;

/**
 * Runs queued jobs: one at a time per node, claimed from the shared queue, so any number of nodes
 * share the work and each job runs on one of them. Failures are retried with backoff (queue.ts).
 */
export class JobRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly queue: JobQueue,
    private readonly handlers: Record<string, JobHandler>,
    private readonly log: { error(fields: Record<string, unknown>, message: string): void },
  ) {}

  /** Claims and runs one job; false when nothing was due. */
  async runOne(): Promise<boolean> {
    const job = await this.queue.claim();
    if (!job) return false;
    const handler = this.handlers[job.type];
    try {
      if (!handler) throw new PermanentJobError(`no handler for job type ${job.type}`, {});
      const result = await handler(job, { progress: (done, total) => this.queue.progress(job.id, done, total) });
      await this.queue.succeed(job.id, result);
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      if (!permanent) this.log.error({ err: error, jobId: job.id, jobType: job.type }, "job attempt failed");
      await this.queue.fail(job, {
        message: error instanceof Error ? error.message : String(error),
        ...(permanent ? { permanent: true, result: error.result } : {}),
      });
    }
    return true;
  }

  /** Runs jobs until none is due (tests and the CLI). */
  async drain(): Promise<number> {
    let ran = 0;
    while (await this.runOne()) ran++;
    return ran;
  }

  /** Polls every `intervalMs` and drains; `tick` runs first on each poll (the scheduler). */
  start(options: { intervalMs: number; tick?: () => Promise<void> }): void {
    const poll = async () => {
      try {
        await options.tick?.();
        await this.drain();
      } catch (error) {
        this.log.error({ err: error }, "job runner poll failed");
      }
    };
    this.timer = setInterval(() => {
      if (!this.running) this.running = poll().finally(() => (this.running = null));
    }, options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
