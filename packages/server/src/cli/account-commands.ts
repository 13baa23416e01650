import { GatehouseError } from "@gatehouse/core";
import type { Command } from "commander";
import { z } from "zod";
import { cliMeta } from "../app/index.ts";
import { CliError } from "./cli-error.ts";
import { withCliContext } from "./open-context.ts";
import { readNewPassword } from "./read-password.ts";

const emailSchema = z.email().max(254);

function checkedEmail(raw: string): string {
  const email = raw.trim();
  if (!emailSchema.safeParse(email).success) throw new CliError(`--email: "${email}" is not a valid email address.`);
  return email;
}

function notFound(realm: string) {
  return (error: unknown): never => {
    if (error instanceof GatehouseError && error.code === "not_found") {
      throw new CliError(`No ${realm} account has this email.`);
    }
    throw error;
  };
}

/**
 * `<realm> list`, `<realm> disable --email E`, `<realm> set-password --email E` for the user and admin
 * realms: through the same use cases as the API, audited with actor `cli`.
 */
export function registerAccountCommands(command: Command, realm: string): void {
  command
    .command("list")
    .description(`list ${realm} accounts, newest first`)
    .option("--search <text>", "only emails or names containing this")
    .option("--limit <n>", "at most this many", "50")
    .action(async (options: { search?: string; limit: string }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new CliError("--limit: a whole number, 1 to 100.");
      await withCliContext(process.env, async ({ ctx }) => {
        const { count, results } = await ctx.useCases.admin.listPrincipals(
          { realm, search: options.search?.trim() || undefined },
          { page: 1, pageSize: limit },
        );
        const rows = results.map((p) =>
          [p.id, p.email, p.disabledAt ? "disabled" : "active", p.createdAt.toISOString(), p.displayName ?? ""].join(
            "  ",
          ),
        );
        process.stdout.write(`${rows.join("\n")}${rows.length ? "\n" : ""}${count} ${realm} account(s)\n`);
      });
    });

  command
    .command("disable")
    .description(`disable a ${realm} account and end all its sessions`)
    .requiredOption("--email <email>", "the account's email")
    .action(async (options: { email: string }) => {
      const email = checkedEmail(options.email);
      await withCliContext(process.env, async ({ ctx }) => {
        const done = await ctx.useCases.disablePrincipal({ realm, email }, cliMeta, "cli").catch(notFound(realm));
        process.stdout.write(`Disabled ${realm} ${done.principal.email}; ${done.revokedSessions} session(s) ended.\n`);
      });
    });

  command
    .command("set-password")
    .description(`set a ${realm} account's password (stdin, or prompted); all its sessions end`)
    .requiredOption("--email <email>", "the account's email")
    .action(async (options: { email: string }) => {
      const email = checkedEmail(options.email);
      const password = await readNewPassword(`New password for the ${realm} account ${email}:`);
      await withCliContext(process.env, async ({ ctx }) => {
        const done = await ctx.useCases
          .setPrincipalPassword({ realm, email, password }, cliMeta, "cli")
          .catch(notFound(realm));
        process.stdout.write(
          `Password set for ${realm} ${done.principal.email}; ${done.revokedSessions} session(s) ended.\n`,
        );
      });
    });
}
