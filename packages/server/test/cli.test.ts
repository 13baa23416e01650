import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { DataDirLockedError } from "../src/db/data-dir-lock.ts";
import { type Database, openDatabase } from "../src/db/database.ts";
import { createLogger } from "../src/http/logger.ts";
import { buildServices } from "../src/services.ts";
import { runCli, startServerProcess, stopAllChildren } from "./support/child-process.ts";
import { createTestDatabase, onPostgres } from "./support/test-database.ts";
import { testSessionSecret } from "./support/test-server.ts";

const password = "correct horse battery staple";
const slow = 180_000; // several child processes: tsx start ~1 s, a new PGlite data dir ~4 s, argon2

/** Where the CLI child writes: a temp PGlite data dir, or a fresh PostgreSQL database when DATABASE_URL is set. */
interface Target {
  env: Record<string, string>;
  open(): Promise<Database>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stopAllChildren();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-cli-"));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function pgliteTarget(dataDir = tempDataDir()): Target {
  return { env: { DATA_DIR: dataDir }, open: () => openDatabase({ dataDir }) };
}

async function createTarget(options: { migrated: boolean }): Promise<Target> {
  if (!onPostgres) return pgliteTarget();
  const test = await createTestDatabase();
  cleanups.push(() => test.drop());
  if (!options.migrated) {
    // createTestDatabase migrates; undo it so `migrate` starts from an empty database.
    await test.database.db.execute(sql`drop schema public cascade; drop schema if exists drizzle cascade`);
    await test.database.db.execute(sql`create schema public`);
  }
  const url = test.url as string;
  // DATA_DIR too, so nothing lands in the repo's ./data.
  return {
    env: { DATABASE_URL: url, DATA_DIR: tempDataDir() },
    open: () => openDatabase({ databaseUrl: url, poolSize: 2 }),
  };
}

/** Opens the target after the CLI exited and signs in through the real auth service. */
async function signIn(target: Target, realm: string, email: string, secret: string) {
  const database = await target.open();
  try {
    const ctx = buildServices(loadConfig({ NODE_ENV: "test", DATA_DIR: tempDataDir() }), database, {
      sessionSecret: testSessionSecret,
      logger: createLogger({ level: "silent" }),
    });
    return await ctx.auth.login(realm, { email, password: secret }, { ip: null, userAgent: "cli.test" });
  } finally {
    await database.close();
  }
}

async function auditEventsOf(target: Target, type: string): Promise<Record<string, unknown>[]> {
  const database = await target.open();
  try {
    const result = await database.db.execute(sql`select * from audit_events where type = ${type}`);
    return (result as unknown as { rows: Record<string, unknown>[] }).rows;
  } finally {
    await database.close();
  }
}

async function principalCount(target: Target): Promise<number> {
  const database = await target.open();
  try {
    const result = await database.db.execute(sql`select count(*)::int as n from principals`);
    return Number((result as unknown as { rows: { n: number }[] }).rows[0]?.n);
  } finally {
    await database.close();
  }
}

describe(`CLI on ${onPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  it(
    "migrate applies the migrations to an empty database, and again is a no-op",
    async () => {
      const target = await createTarget({ migrated: false });
      const first = await runCli(["migrate"], { env: target.env });
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(new RegExp(`^Migrations applied to ${onPostgres ? "PostgreSQL" : "PGlite"}`));
      expect(first.stdout).not.toContain("postgres://"); // the URL may carry a password
      expect(await principalCount(target)).toBe(0); // the table exists
      const again = await runCli(["migrate"], { env: target.env });
      expect(again.code).toBe(0);
    },
    slow,
  );

  it(
    "admin create reads the password from stdin, prints id and email, and the admin can sign in",
    async () => {
      const target = await createTarget({ migrated: true });
      const result = await runCli(["admin", "create", "--email", " Root@Example.com ", "--name", "Root"], {
        env: target.env,
        input: `${password}\n`,
      });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const match = /^Created admin root@example\.com with id ([0-9a-f-]{36})\n$/.exec(result.stdout);
      expect(match).not.toBeNull();
      expect(result.stdout + result.stderr).not.toContain(password);

      // Created through the same use case as everything else, so it is in the audit log.
      const audited = await auditEventsOf(target, "principal_created");
      expect(audited).toEqual([
        expect.objectContaining({
          realm: "admin",
          principal_id: match?.[1],
          actor: "cli",
          user_agent: "gatehouse-cli",
        }),
      ]);

      // One trailing newline was stripped: the password is exactly what was typed.
      const signedIn = await signIn(target, "admin", "root@example.com", password);
      expect(signedIn.principal.id).toBe(match?.[1]);
      expect(signedIn.principal.realm).toBe("admin");
      expect(signedIn.principal.displayName).toBe("Root");
      await expect(signIn(target, "admin", "root@example.com", `${password}\n`)).rejects.toMatchObject({
        code: "invalid_credentials",
      });
      // An admin account is not a user account.
      await expect(signIn(target, "user", "root@example.com", password)).rejects.toMatchObject({
        code: "invalid_credentials",
      });
    },
    slow,
  );

  it(
    "refuses a duplicate email in the realm with exit 1 and one line, but allows it in the other realm",
    async () => {
      const target = await createTarget({ migrated: true });
      const create = (realm: string, email: string) =>
        runCli([realm, "create", "--email", email], { env: target.env, input: password });
      expect((await create("admin", "ops@example.com")).code).toBe(0);

      const duplicate = await create("admin", "OPS@example.com");
      expect(duplicate.code).toBe(1);
      expect(duplicate.stderr).toBe("An account with this email already exists in the admin realm.\n");
      expect(duplicate.stdout).toBe("");

      const user = await create("user", "ops@example.com");
      expect(user.code).toBe(0);
      expect(user.stdout).toMatch(/^Created user ops@example\.com with id /);
      expect(await principalCount(target)).toBe(2);
    },
    slow,
  );

  it(
    "refuses a weak password with exit 1 and the reason, creating nothing",
    async () => {
      const target = await createTarget({ migrated: true });
      const weak = await runCli(["user", "create", "--email", "weak@example.com"], {
        env: target.env,
        input: "short\n",
      });
      expect(weak.code).toBe(1);
      expect(weak.stderr).toBe("The password is too short: it needs at least 12 characters.\n");
      expect(weak.stderr + weak.stdout).not.toContain("short\n");

      const empty = await runCli(["user", "create", "--email", "weak@example.com"], { env: target.env, input: "" });
      expect(empty.code).toBe(1);
      expect(empty.stderr).toMatch(/^No password on stdin/);

      const badEmail = await runCli(["user", "create", "--email", "not-an-email"], {
        env: target.env,
        input: password,
      });
      expect(badEmail.code).toBe(1);
      expect(badEmail.stderr).toMatch(/^--email: /);
      expect(await principalCount(target)).toBe(0);
    },
    slow,
  );

  it(
    "stops on bad configuration with the variable's name",
    async () => {
      const target = await createTarget({ migrated: true });
      const result = await runCli(["migrate"], { env: { ...target.env, SESSION_SECRET: "short" } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/SESSION_SECRET/);
    },
    slow,
  );
});

describe(`CLI cleanup on ${onPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  it(
    "deletes exactly the expired sessions and reports the count",
    async () => {
      const target = await createTarget({ migrated: true });
      const database = await target.open();
      try {
        await database.migrate();
        await database.db.execute(sql`
          insert into principals (id, realm, email, password_hash)
          values ('00000000-0000-4000-8000-00000000c1ea', 'user', 'cleanup@example.com', 'x')`);
        // 30 expired (absolute deadline passed), 2 live.
        await database.db.execute(sql`
          insert into sessions (id, realm, principal_id, secret_hash, created_at, last_activity_at,
                                idle_expires_at, expires_at, remember_me)
          select 'expired-' || n, 'user', '00000000-0000-4000-8000-00000000c1ea'::uuid, md5(n::text),
                 now() - interval '2 days', now() - interval '2 days', now() + interval '1 day',
                 now() - interval '1 day', false
          from generate_series(1, 30) as n
          union all
          select 'live-' || n, 'user', '00000000-0000-4000-8000-00000000c1ea'::uuid, md5(n::text),
                 now(), now(), now() + interval '1 day', now() + interval '1 day', false
          from generate_series(1, 2) as n`);
      } finally {
        await database.close();
      }
      const result = await runCli(["cleanup"], { env: target.env });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^Deleted sessions: 30, resetTokens: 0, otpCodes: 0, throttleRows: 0 in \d+ batches \(\d+ ms\)\.\n$/,
      );
      const after = await target.open();
      try {
        const rows = await after.db.execute(sql`select id from sessions order by id`);
        expect((rows as unknown as { rows: { id: string }[] }).rows.map((r) => r.id)).toEqual(["live-1", "live-2"]);
      } finally {
        await after.close();
      }
    },
    slow,
  );
});

describe("CLI and the server on one PGlite data dir (single owner)", () => {
  it(
    "refuses while the server holds the data dir, and succeeds once it stopped",
    async () => {
      const dataDir = tempDataDir();
      const server = startServerProcess({ DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1" });
      await server.waitForOutput(/Gatehouse is listening/, 60_000);
      const args = ["user", "create", "--email", "late@example.com"];

      const refused = await runCli(args, { env: { DATA_DIR: dataDir }, input: password });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`${new DataDirLockedError(dataDir, server.child.pid as number).message}\n`);

      const stopped = await server.stop();
      expect(stopped.code).toBe(0); // a clean shutdown released the lock
      const accepted = await runCli(args, { env: { DATA_DIR: dataDir }, input: password });
      expect(accepted.stderr).toBe("");
      expect(accepted.code).toBe(0);
      await expect(signIn(pgliteTarget(dataDir), "user", "late@example.com", password)).resolves.toBeTruthy();
    },
    slow,
  );
});

describe("demo accounts on first start", () => {
  it(
    "npm start on an empty data dir prints a demo user and admin once; the next start prints none",
    async () => {
      const dataDir = tempDataDir();
      const env = { DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1" };

      const first = startServerProcess(env);
      await first.waitForOutput(/Gatehouse is listening/, 60_000);
      await first.stop();
      const out = first.stdout();
      expect(out).toContain("Created demo accounts");
      const user = /user +demo@example\.com +password: (\S+)/.exec(out);
      const admin = /admin +admin@example\.com +password: (\S+)/.exec(out);
      expect(user?.[1]).toBeTruthy();
      expect(admin?.[1]).toBeTruthy();
      expect(user?.[1]).not.toBe(admin?.[1]);

      const second = startServerProcess(env);
      await second.waitForOutput(/Gatehouse is listening/, 60_000);
      await second.stop();
      expect(second.stdout()).not.toMatch(/Created demo accounts|password: /);

      // The printed passwords are the real ones, each in its own realm.
      const target = pgliteTarget(dataDir);
      expect((await signIn(target, "user", "demo@example.com", user?.[1] as string)).principal.realm).toBe("user");
      expect((await signIn(target, "admin", "admin@example.com", admin?.[1] as string)).principal.realm).toBe("admin");
    },
    slow,
  );
});
