import path from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config.ts";
import { latestOutboxMails } from "../mail/mailer.ts";
import { CliError } from "./cli-error.ts";

/**
 * `outbox [--count N]`: prints the newest mails of the file outbox (`DATA_DIR/outbox`), as written,
 * so a reset link or a code can be copied. Reads files only: works while the server runs.
 */
export function registerOutbox(program: Command): void {
  program
    .command("outbox")
    .description("print the newest mail(s) of the file outbox (DATA_DIR/outbox)")
    .option("--count <n>", "how many mails, newest first", "1")
    .action(async (options: { count: string }) => {
      const count = Number(options.count);
      if (!Number.isInteger(count) || count < 1 || count > 100)
        throw new CliError("--count: a whole number, 1 to 100.");
      const config = loadConfig({ LOG_LEVEL: "silent", ...process.env });
      const outboxDir = path.join(config.dataDir, "outbox");
      const mails = await latestOutboxMails(outboxDir, count);
      if (mails.length === 0) {
        const where = config.smtpUrl ? " (SMTP_URL is set: mail goes to that server instead)" : "";
        throw new CliError(`No mail in ${outboxDir}${where}.`);
      }
      process.stdout.write(mails.map((mail) => `==> ${mail.file}\n${mail.text}`).join("\n"));
    });
}
