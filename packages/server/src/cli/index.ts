import { Command } from "commander";
import { registerAdminCreate } from "./admin-create.ts";
import { registerCleanup } from "./cleanup.ts";
import { cliErrorMessage } from "./cli-error.ts";
import { registerMigrate } from "./migrate.ts";
import { registerSeedDemo } from "./seed-demo.ts";
import { registerUserCreate } from "./user-create.ts";

/**
 * `npm run cli -- <command>`. Each command lives in its own file and registers itself here; a new
 * top-level command is one file plus one line below.
 * Exit codes: 0 success, 1 failure with a one-line reason on stderr (commander's own usage errors too).
 */
function buildProgram(): Command {
  const program = new Command("gatehouse").description("Gatehouse administration");
  registerMigrate(program);
  registerCleanup(program);
  registerSeedDemo(program);
  registerAdminCreate(program.command("admin").description("admin accounts"));
  registerUserCreate(program.command("user").description("user accounts"));
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${cliErrorMessage(error)}\n`);
      process.exit(1);
    },
  );
