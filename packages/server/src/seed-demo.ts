import { randomBytes } from "node:crypto";
import { cliMeta } from "./app/index.ts";
import type { AppContext } from "./http/context.ts";

/**
 * Outside production, an empty database gets one demo user and one demo admin with random passwords,
 * printed once, so a newcomer can sign in straight away. Returns the lines to print (nothing when seeded).
 */
export async function seedDemoAccounts(ctx: AppContext): Promise<string[]> {
  if (ctx.config.nodeEnv === "production" || (await ctx.principals.count()) > 0) return [];
  // One account per realm; the realm that offers the admin API gets the admin.
  const accounts = ctx.realms
    .all()
    .map((realm) =>
      realm.adminApi
        ? { realm: realm.name, email: "admin@example.com", displayName: "Demo Admin" }
        : { realm: realm.name, email: "demo@example.com", displayName: `Demo ${realm.name}` },
    );
  const lines: string[] = [];
  for (const account of accounts) {
    const password = randomBytes(12).toString("base64url");
    await ctx.useCases.createPrincipal({ ...account, password }, cliMeta, "seed");
    lines.push(`  ${account.realm.padEnd(6)} ${account.email}  password: ${password}`);
  }
  return [
    "Created demo accounts (shown once; this database had none):",
    ...lines,
    `Sign in through ${ctx.config.publicUrl.origin}/api/docs`,
  ];
}
