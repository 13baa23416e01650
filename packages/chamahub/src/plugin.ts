import { GatehouseError } from "@gatehouse/core";
import { membershipOf, requireActive, requireOfficer } from "./access.ts";
import { adminChamaUseCases } from "./admin.ts";
import { VersionedCache } from "./cache.ts";
import { chamaUseCases } from "./chamas.ts";
import { contributionUseCases } from "./contributions.ts";
import { recordChange } from "./events.ts";
import { toJobView } from "./job-view.ts";
import { importContributions, maxImportRows } from "./jobs/import.ts";
import { applyMonthlyInterest } from "./jobs/interest.ts";
import { JobQueue } from "./jobs/queue.ts";
import { sendReminders } from "./jobs/reminders.ts";
import { JobRunner } from "./jobs/runner.ts";
import { dueJobs } from "./jobs/schedule.ts";
import { sendStatements } from "./jobs/statements.ts";
import { loanUseCases } from "./loans.ts";
import { memberUseCases } from "./members.ts";
import type { Caller, ChamaHubDeps, RequestInfo } from "./ports.ts";

/** The admin permissions ChamaHub's admin routes declare; the host registers them at boot. */
export const chamaPermissions = ["chamas.read", "chamas.manage", "jobs.read"] as const;

/**
 * ChamaHub wired onto the host's database, clock, people directory, audit log and mailer: the use
 * cases its routes call, and the job runner the host starts and stops.
 */
export function createChamaHub(deps: ChamaHubDeps) {
  const cache = new VersionedCache<unknown>();
  const queue = new JobQueue(deps.db, deps.clock);
  const chamas = chamaUseCases(deps, cache);
  const str = (value: unknown) => String(value ?? "");

  const runner = new JobRunner(
    queue,
    {
      interest: (job) => applyMonthlyInterest(deps, str(job.payload.month)),
      reminders: (job, context) =>
        sendReminders(deps, {
          chamaId: job.payload.chamaId ? str(job.payload.chamaId) : undefined,
          progress: context.progress,
        }),
      statements: (job) => sendStatements(deps, str(job.payload.month)),
      import: (job, context) =>
        importContributions(
          deps,
          {
            chamaId: str(job.payload.chamaId),
            csv: str(job.payload.csv),
            principalId: str(job.payload.principalId),
            realm: str(job.payload.realm),
          },
          context.progress,
        ),
    },
    deps.log,
  );

  /** Starts a job for a member's action; the caller is its `startedBy` and may read it. */
  const startJob = async (
    caller: Caller,
    meta: RequestInfo | null,
    chamaId: string,
    type: string,
    payload: Record<string, unknown>,
  ) => {
    const job = await queue.enqueue({
      type,
      payload,
      startedBy: `${caller.realm}:${caller.principalId}`,
      maxAttempts: type === "import" ? 1 : 5,
    });
    await recordChange(deps, meta, caller, "chama_job_started", { chamaId, jobId: job.id, jobType: type });
    return toJobView(job);
  };

  return {
    chamas,
    members: memberUseCases(deps, cache),
    contributions: contributionUseCases(deps, cache),
    loans: loanUseCases(deps, cache),
    admin: adminChamaUseCases(deps, cache, queue),
    queue,
    runner,

    /** Officers import contributions from CSV as a job (all or nothing, see jobs/import.ts). */
    async startImport(caller: Caller, meta: RequestInfo | null, chamaId: string, csv: string) {
      const membership = await membershipOf(deps.db, chamaId, caller.principalId);
      requireOfficer(membership);
      requireActive(membership.chama);
      if (csv.split("\n").length > maxImportRows + 2)
        throw new GatehouseError("validation_failed", {
          details: [{ location: "body", path: "/csv", problem: "too_big" }],
        });
      return startJob(caller, meta, chamaId, "import", {
        chamaId,
        csv,
        principalId: caller.principalId,
        realm: caller.realm,
      });
    },

    /** Officers send this week's reminder to their chama now. */
    async startReminders(caller: Caller, meta: RequestInfo | null, chamaId: string) {
      const membership = await membershipOf(deps.db, chamaId, caller.principalId);
      requireOfficer(membership);
      requireActive(membership.chama);
      return startJob(caller, meta, chamaId, "reminders", { chamaId });
    },

    /** A job, for the user who started it; anyone else's job id is 404. */
    async jobFor(caller: Caller, jobId: string) {
      const job = await queue.get(jobId);
      if (!job || job.startedBy !== `${caller.realm}:${caller.principalId}`) throw new GatehouseError("not_found");
      return toJobView(job);
    },

    /** Enqueues the scheduled work that is due (deduplicated across nodes by the queue). */
    async enqueueDue(now = deps.clock.now()) {
      for (const job of dueJobs(now)) await queue.enqueue({ ...job, startedBy: null });
    },

    /**
     * Runs the jobs in the background: polls the queue every `pollMs` and enqueues due scheduled work
     * every minute. Every node may do this; the queue hands each job to one of them.
     */
    startBackground(options: { pollMs?: number } = {}): () => Promise<void> {
      let lastSchedule = 0;
      const enqueueDue = this.enqueueDue.bind(this);
      runner.start({
        intervalMs: options.pollMs ?? 2_000,
        tick: async () => {
          if (Date.now() - lastSchedule < 60_000) return;
          lastSchedule = Date.now();
          await enqueueDue();
        },
      });
      return () => runner.stop();
    },
  };
}

export type ChamaHub = ReturnType<typeof createChamaHub>;
