import { randomBytes } from "node:crypto";
import { type ChamaDb, hasChamas, seedDemoChamas } from "@gatehouse/chamahub";
import { cliMeta } from "./app/index.ts";
import { memberRealm } from "./chamahub-plugin.ts";
import type { AppContext } from "./http/context.ts";

const firstNames = ["Wanjiku", "Otieno", "Achieng", "Kamau", "Njeri", "Mutua", "Chebet", "Kiprono", "Atieno", "Mwangi"];
const lastNames = [
  "Kariuki",
  "Odhiambo",
  "Wambui",
  "Kiptoo",
  "Mutiso",
  "Njoroge",
  "Akinyi",
  "Barasa",
  "Cheruiyot",
  "Wafula",
];

/**
 * Demo ChamaHub data on top of the demo accounts: `memberCount` demo members (created once, sharing
 * one password, printed by the caller) and `chamas` chamas with months of history. The demo user
 * (demo@example.com), when it exists, chairs every demo chama.
 */
export async function seedChamaHubDemo(
  ctx: AppContext,
  options: { chamas: number; memberCount?: number; onChama?: (done: number) => void },
): Promise<{ password: string | null; chamas: number; contributions: number; loans: number; members: number }> {
  const realm = memberRealm(ctx.realms);
  const password = randomBytes(12).toString("base64url");
  let created = 0;
  const people: string[] = [];
  const count = options.memberCount ?? 40;
  for (let i = 0; i < count; i++) {
    const first = firstNames[i % firstNames.length] as string;
    const last = lastNames[Math.floor(i / firstNames.length) % lastNames.length] as string;
    const email = `${first}.${last}${i >= 100 ? i : ""}@demo.chamahub.test`.toLowerCase();
    const existing = await ctx.principals.findByEmail(realm, email);
    if (existing) {
      people.push(existing.id);
      continue;
    }
    const principal = await ctx.useCases.createPrincipal(
      { realm, email, password, displayName: `${first} ${last}` },
      cliMeta,
      "seed",
    );
    people.push(principal.id);
    created++;
  }
  const owner = await ctx.principals.findByEmail(realm, "demo@example.com");
  const result = await seedDemoChamas(ctx.database.db as unknown as ChamaDb, {
    people,
    count: options.chamas,
    now: ctx.clock.now(),
    owner: owner?.id,
    seed: Date.now() % 100_000,
    ...(options.onChama ? { onChama: options.onChama } : {}),
  });
  return { password: created > 0 ? password : null, members: people.length, ...result };
}

/** `npm start` on an empty database (outside production): a few living chamas for a newcomer. */
export async function seedChamaHubOnEmpty(ctx: AppContext): Promise<string[]> {
  if (ctx.config.nodeEnv === "production" || (await hasChamas(ctx.database.db as unknown as ChamaDb))) return [];
  const seeded = await seedChamaHubDemo(ctx, { chamas: 3, memberCount: 12 });
  return [
    `ChamaHub demo: ${seeded.chamas} chamas, ${seeded.members} members, ${seeded.contributions} contributions, ${seeded.loans} loans` +
      " (demo@example.com chairs them all).",
    ...(seeded.password ? [`  demo members (…@demo.chamahub.test) share the password: ${seeded.password}`] : []),
  ];
}
