import { Command } from "commander";
import rootPackage from "../../../../package.json" with { type: "json" };
import { registerAccountCommands } from "./account-commands.ts";
import { registerAdminCreate } from "./admin-create.ts";
import { registerCleanup } from "./cleanup.ts";
import { cliErrorMessage } from "./cli-error.ts";
import { registerDoctor } from "./doctor.ts";
import { registerMigrate } from "./migrate.ts";
import { registerOutbox } from "./outbox.ts";
import { registerSeedDemo } from "./seed-demo.ts";
import { registerThrottleClear } from "./throttle-clear.ts";
import { registerUserCreate } from "./user-create.ts";

/**
 * `npm run cli -- <command>`. Each command lives in its own file and registers itself here; a new
 * top-level command is one file plus one line below.
 * Exit codes: 0 success, 1 failure with a one-line reason on stderr (commander's own usage errors too).
 */
function buildProgram(): Command {
  const program = new Command("gatehouse")
    .description("Gatehouse administration")
    .version(`gatehouse ${rootPackage.version} (node ${process.version})`, "-V, --version");
  registerMigrate(program);
  registerDoctor(program);
  registerCleanup(program);
  registerOutbox(program);
  registerThrottleClear(program.command("throttle").description("abuse throttle counters"));
  const admin = program.command("admin").description("admin accounts");
  registerAdminCreate(admin);
  registerAccountCommands(admin, "admin");
  const user = program.command("user").description("user accounts");
  registerUserCreate(user);
  registerAccountCommands(user, "user");
  registerSeedDemo(program);
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
