import type { Command } from "commander";
import { type CreateOptions, createPrincipalCommand } from "./create-principal.ts";

/** `admin create --email E [--name N]`: the way to create admin accounts (the admin realm has no sign-up). */
export function registerAdminCreate(admin: Command): void {
  admin
    .command("create")
    .description("create an admin account (password from stdin, or prompted)")
    .requiredOption("--email <email>", "the admin's email")
    .option("--name <name>", "display name")
    .action((options: CreateOptions) => createPrincipalCommand("admin", options));
}
