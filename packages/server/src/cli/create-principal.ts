import { GatehouseError } from "@gatehouse/core";
import { z } from "zod";
import { cliMeta } from "../app/index.ts";
import { CliError } from "./cli-error.ts";
import { withCliContext } from "./open-context.ts";
import { readNewPassword } from "./read-password.ts";

export interface CreateOptions {
  email: string;
  name?: string;
}

// The same rules as the sign-up route, so the CLI cannot create an account the API would refuse.
const emailSchema = z.email().max(254);
const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}\p{Cs}]*$/u);

/** Shared by `admin create` and `user create`: validates, reads the password, creates, prints id and email. */
export async function createPrincipalCommand(realm: string, options: CreateOptions): Promise<void> {
  const email = options.email.trim();
  if (!emailSchema.safeParse(email).success) throw new CliError(`--email: "${email}" is not a valid email address.`);
  const name = options.name === undefined ? undefined : nameSchema.safeParse(options.name);
  if (name && !name.success) throw new CliError("--name: 1 to 100 characters, no control characters.");
  // Validate before asking for the password, and before taking the data-dir lock.
  const password = await readNewPassword(`Password for the ${realm} account ${email}:`);

  await withCliContext(process.env, async ({ ctx }) => {
    try {
      // Through the same use case as every other account change, so it is audited (actor "cli").
      const principal = await ctx.useCases.createPrincipal(
        { realm, email, password, displayName: name?.data ?? null },
        cliMeta,
        "cli",
      );
      process.stdout.write(`Created ${realm} ${principal.email} with id ${principal.id}\n`);
    } catch (error) {
      if (error instanceof GatehouseError && error.code === "email_taken") {
        throw new CliError(`An account with this email already exists in the ${realm} realm.`);
      }
      throw error;
    }
  });
}
