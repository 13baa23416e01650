import type { Command } from "commander";
import { type CreateOptions, createPrincipalCommand } from "./create-principal.ts";

/** `user create --email E [--name N]`: a user account without going through sign-up. */
export function registerUserCreate(user: Command): void {
  user
    .command("create")
    .description("create a user account (password from stdin, or prompted)")
    .requiredOption("--email <email>", "the user's email")
    .option("--name <name>", "display name")
    .action((options: CreateOptions) => createPrincipalCommand("user", options));
}
