import type { Command } from "commander";
import { formatDoctorTable, runDoctor } from "../doctor/doctor.ts";
import { CliError } from "./cli-error.ts";

/**
 * `doctor`: checks this deployment's configuration and dependencies (read-only) and prints a
 * pass/warn/fail table; exits 1 when a check fails (docs/operations.md lists the checks).
 */
export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("check this deployment (configuration, database, Redis) and print a pass/warn/fail table")
    .action(async () => {
      const rows = await runDoctor(process.env);
      process.stdout.write(formatDoctorTable(rows));
      const failed = rows.filter((row) => row.status === "fail").length;
      if (failed > 0) throw new CliError(`doctor: ${failed} check${failed === 1 ? "" : "s"} failed.`);
    });
}
