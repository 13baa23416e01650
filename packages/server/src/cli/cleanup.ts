import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { cleanupBacklog, runCleanup } from "../jobs/cleanup.ts";
import { withCliContext } from "./open-context.ts";

/**
 * `cleanup`: deletes expired sessions, reset tokens and one-time codes now, in bounded batches, under
 * the same single-runner lock as the scheduled job. A progress bar when attached to a terminal.
 */
export function registerCleanup(program: Command): void {
  program
    .command("cleanup")
    .description("delete expired sessions and one-time tokens now")
    .action(async () => {
      await withCliContext(process.env, async ({ ctx }) => {
        const backlog = await cleanupBacklog(ctx);
        const total = Object.values(backlog).reduce((sum, n) => sum + n, 0);
        // Without a terminal (CI, a pipe) there is no bar: the final report line is all that is printed.
        const bar = process.stderr.isTTY
          ? new SingleBar({ format: "cleanup [{bar}] {value}/{total} {target}", stream: process.stderr })
          : null;
        bar?.start(total, 0, { target: "" });
        let done = 0;
        const report = await runCleanup(ctx, {
          trigger: "cli",
          onBatch: ({ target, deleted }) => {
            done += deleted;
            bar?.update(Math.min(done, total), { target });
          },
        });
        bar?.stop();
        if (!report.ran) {
          process.stdout.write("Another cleanup run holds the lock; nothing deleted.\n");
          return;
        }
        const parts = Object.entries(report.deleted).map(([target, n]) => `${target}: ${n}`);
        process.stdout.write(`Deleted ${parts.join(", ")} in ${report.batches} batches (${report.durationMs} ms).\n`);
      });
    });
}
