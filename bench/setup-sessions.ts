/**
 * Prepares one benchmark database (DATA_DIR for PGlite, or DATABASE_URL), before the server opens it:
 * one "hot" user with one session, and BENCH_SESSIONS sessions spread over pool users (10 each, at
 * most `USER_MAX_SESSIONS`, so none is evicted) — all minted by core's SessionService through
 * `buildServices`, i.e. real tokens and real rows. Every user shares one password, hashed once with
 * the server's argon2id settings (BENCH_PASSWORD). Writes the tokens and accounts to BENCH_OUT (JSON).
 */

import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import type { Principal } from "@gatehouse/core";
import { loadConfig } from "../packages/server/src/config.ts";
import { openDatabase } from "../packages/server/src/db/database.ts";
import { createLogger } from "../packages/server/src/http/logger.ts";
import { buildServices } from "../packages/server/src/services.ts";
import { argon2Hasher } from "../packages/server/src/stores/argon2-hasher.ts";

export interface BenchAccounts {
  password: string;
  hotEmail: string;
  hotToken: string;
  poolEmails: string[];
  poolPrincipalIds: string[];
  poolTokens: string[];
}

const realm = "user";

async function main(): Promise<void> {
  const out = process.env.BENCH_OUT;
  const password = process.env.BENCH_PASSWORD;
  if (!out || !password) throw new Error("BENCH_OUT and BENCH_PASSWORD are required");
  const sessionCount = Number(process.env.BENCH_SESSIONS ?? "10000");
  const config = loadConfig({ ...process.env, LOG_LEVEL: "silent" });
  // A handful of sessions per user, as in real life (and each create lists the user's sessions for the limit).
  const limit = config.realms.find((r) => r.name === realm)?.maxSessionsPerPrincipal ?? 50;
  const perUser = Math.min(limit, Number(process.env.BENCH_SESSIONS_PER_USER ?? "10"));
  const database = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl, poolSize: 8 } : { dataDir: config.dataDir },
  );
  try {
    await database.migrate();
    const logger = createLogger({ level: "silent" });
    const ctx = buildServices(config, database, { sessionSecret: "x".repeat(48), logger });
    const passwordHash = await argon2Hasher.hash(password);
    const createUser = async (email: string) =>
      ctx.principals.insert({ id: randomUUID(), realm, email, displayName: null, passwordHash, createdAt: new Date() });
    const context = { ip: "127.0.0.1", userAgent: "gatehouse-bench" };

    const hot = await createUser("bench-hot@example.com");
    const hotToken = (await ctx.sessions.create(realm, hot.id, context)).token;

    const userCount = Math.max(1, Math.ceil(sessionCount / perUser));
    const pool: Principal[] = [];
    for (let u = 0; u < userCount; u += 1)
      pool.push(await createUser(`bench-${String(u).padStart(5, "0")}@example.com`));
    const poolTokens: string[] = new Array(sessionCount);
    let next = 0;
    // Eight creates in flight, each for another user (round-robin), so no two race on one user's limit.
    const worker = async () => {
      for (let i = next++; i < sessionCount; i = next++) {
        const user = pool[i % userCount] as Principal;
        poolTokens[i] = (await ctx.sessions.create(realm, user.id, context)).token;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    const accounts: BenchAccounts = {
      password,
      hotEmail: hot.email,
      hotToken,
      poolEmails: pool.map((p) => p.email),
      poolPrincipalIds: pool.map((p) => p.id),
      poolTokens,
    };
    writeFileSync(out, JSON.stringify(accounts));
  } finally {
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
