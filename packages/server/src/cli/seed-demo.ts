import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { seedChamaHubDemo } from "../chamahub-demo.ts";
import { withCliContext } from "./open-context.ts";

/**
 * `seed-demo [--chamas N]`: ChamaHub demo data (members, chamas, months of contributions, loans),
 * with a progress bar when attached to a terminal.
 */
export function registerSeedDemo(program: Command): void {
  program
    .command("seed-demo")
    .description("create ChamaHub demo data: members, chamas, months of contributions, loans")
    .option("--chamas <n>", "how many chamas", "20")
    .option("--members <n>", "how many demo members to draw from", "40")
    .action(async (options: { chamas: string; members: string }) => {
      const chamas = Number(options.chamas);
      const memberCount = Number(options.members);
      if (!Number.isInteger(chamas) || chamas < 1 || chamas > 100_000) throw new Error("--chamas must be 1–100000");
      if (!Number.isInteger(memberCount) || memberCount < 5 || memberCount > 10_000)
        throw new Error("--members must be 5–10000");
      await withCliContext(process.env, async ({ ctx }) => {
        const bar = new SingleBar({
          format: "seed-demo [{bar}] {value}/{total} chamas",
          stream: process.stderr,
          noTTYOutput: !process.stderr.isTTY,
          notTTYSchedule: 2_000,
        });
        bar.start(chamas, 0);
        const seeded = await seedChamaHubDemo(ctx, { chamas, memberCount, onChama: (done) => bar.update(done) });
        bar.stop();
        process.stdout.write(
          `Seeded ${seeded.chamas} chamas with ${seeded.contributions} contributions and ${seeded.loans} loans over ${seeded.members} members.\n`,
        );
        if (seeded.password)
          process.stdout.write(`Demo members (…@demo.chamahub.test) share the password: ${seeded.password}\n`);
      });
    });
}
