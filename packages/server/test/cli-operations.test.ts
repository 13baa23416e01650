import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GatehouseError } from "@gatehouse/core";
import { afterEach, describe, expect, it } from "vitest";
import rootPackage from "../../../package.json" with { type: "json" };
import { loadConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { createLogger } from "../src/http/logger.ts";
import { fileOutboxMailer } from "../src/mail/mailer.ts";
import { buildServices } from "../src/services.ts";
import { runCli as runCliChild, stopAllChildren } from "./support/child-process.ts";
import { testSessionSecret } from "./support/test-server.ts";

/** The operator's CLI beyond `create`: version, outbox, account list/disable/set-password, throttle clear. */
// Each CLI child starts tsx and opens PGlite: seconds on a quiet machine, a minute on a loaded one.
const slow = 900_000;
const runCli = (args: string[], options: Parameters<typeof runCliChild>[1]) =>
  runCliChild(args, { timeoutMs: 180_000, ...options });
const password = "first password 12345";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stopAllChildren();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-cliops-"));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens the data dir in this process (the CLI is not running), with the secret the CLI also reads. */
async function withServices<T>(dataDir: string, work: (ctx: ReturnType<typeof buildServices>) => Promise<T>) {
  const database = await openDatabase({ dataDir });
  try {
    await database.migrate();
    const ctx = buildServices(loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir }), database, {
      sessionSecret: testSessionSecret,
      logger: createLogger({ level: "silent" }),
    });
    try {
      return await work(ctx);
    } finally {
      await ctx.abuse.close();
      await ctx.sessionBus.close();
    }
  } finally {
    await database.close();
  }
}

describe("the CLI for operators", () => {
  it("--version names the version and Node", { timeout: 200_000 }, async () => {
    const result = await runCli(["--version"], { env: {} });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`gatehouse ${rootPackage.version} (node ${process.version})\n`);
  });

  it(
    "outbox prints the newest mail as written, and says where it looked when there is none",
    async () => {
      const dataDir = tempDataDir();
      const none = await runCli(["outbox"], { env: { DATA_DIR: dataDir } });
      expect(none.code).toBe(1);
      expect(none.stderr).toBe(`No mail in ${path.join(dataDir, "outbox")}.\n`);

      const mailer = fileOutboxMailer(path.join(dataDir, "outbox"), "Gatehouse <no-reply@localhost>");
      const link = `http://localhost:3000/reset-password?realm=user&token=${"A".repeat(43)}`;
      await mailer.send({ to: "old@example.com", subject: "older", text: "first" });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await mailer.send({ to: "new@example.com", subject: "Reset", text: `Open ${link} within 30 minutes.` });
      const latest = await runCli(["outbox"], { env: { DATA_DIR: dataDir } });
      expect(latest.code).toBe(0);
      expect(latest.stdout).toContain("To: new@example.com");
      expect(latest.stdout).toContain(link);
      expect(latest.stdout).not.toContain("old@example.com");
      const both = await runCli(["outbox", "--count", "2"], { env: { DATA_DIR: dataDir } });
      expect(both.stdout.indexOf("new@example.com")).toBeLessThan(both.stdout.indexOf("old@example.com"));
    },
    slow,
  );

  it(
    "user list, set-password and disable go through the audited use cases",
    async () => {
      const dataDir = tempDataDir();
      const env = { DATA_DIR: dataDir };
      expect((await runCli(["user", "create", "--email", "amina@example.com"], { env, input: password })).code).toBe(0);

      const listed = await runCli(["user", "list"], { env });
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/^[0-9a-f-]{36} {2}amina@example\.com {2}active {2}/m);
      expect(listed.stdout).toMatch(/^1 user account\(s\)$/m);
      expect((await runCli(["admin", "list"], { env })).stdout).toBe("0 admin account(s)\n");

      const newPassword = "second password 67890";
      const set = await runCli(["user", "set-password", "--email", "AMINA@example.com"], { env, input: newPassword });
      expect(set.stderr).toBe("");
      expect(set.stdout).toBe("Password set for user amina@example.com; 0 session(s) ended.\n");
      const weak = await runCli(["user", "set-password", "--email", "amina@example.com"], { env, input: "short" });
      expect(weak.code).toBe(1);
      expect(weak.stderr).toMatch(/too short/);
      const unknown = await runCli(["user", "disable", "--email", "nobody@example.com"], { env });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe("No user account has this email.\n");

      await withServices(dataDir, async (ctx) => {
        const signedIn = await ctx.auth.login(
          "user",
          { email: "amina@example.com", password: newPassword },
          {
            ip: null,
            userAgent: null,
          },
        );
        expect(signedIn.principal.email).toBe("amina@example.com");
      });
      const disabled = await runCli(["user", "disable", "--email", "amina@example.com"], { env });
      expect(disabled.stdout).toBe("Disabled user amina@example.com; 1 session(s) ended.\n");
      expect((await runCli(["user", "list"], { env })).stdout).toMatch(/amina@example\.com {2}disabled/);
      await withServices(dataDir, async (ctx) => {
        await expect(
          ctx.auth.login("user", { email: "amina@example.com", password: newPassword }, { ip: null, userAgent: null }),
        ).rejects.toMatchObject({ code: "invalid_credentials" });
        const { events } = await ctx.useCases.admin.searchAudit({}, { limit: 50 });
        const types = events.map((e) => `${e.type}:${e.actor}`);
        expect(types).toEqual(expect.arrayContaining(["password_changed:cli", "account_disabled:cli"]));
      });
    },
    slow,
  );

  it(
    "throttle clear forgets an IP's or an account's counters, so the owner signs in without a CAPTCHA",
    async () => {
      const dataDir = tempDataDir();
      fs.writeFileSync(path.join(dataDir, "session-secret"), `${testSessionSecret}\n`, { mode: 0o600 });
      const subject = { ip: "127.0.0.1", account: "owner@example.com" };
      const wrong = () => Promise.reject(new GatehouseError("invalid_credentials"));
      await withServices(dataDir, async (ctx) => {
        for (let i = 0; i < 5; i++) {
          await ctx.abuse.throttle.attempt("login", "admin", subject, undefined, wrong).catch(() => {});
        }
        await expect(ctx.abuse.throttle.attempt("login", "admin", subject, undefined, wrong)).rejects.toMatchObject({
          code: "rate_limited",
        });
      });

      const usage = await runCli(["throttle", "clear"], { env: { DATA_DIR: dataDir } });
      expect(usage.code).toBe(1);
      expect(usage.stderr).toBe("Give exactly one of --ip or --email.\n");
      const ip = await runCli(["throttle", "clear", "--ip", "127.0.0.1"], { env: { DATA_DIR: dataDir } });
      expect(ip.stderr).toBe("");
      expect(ip.stdout).toBe("Cleared 1 throttle counter of IP 127.0.0.1 (the database).\n");
      const account = await runCli(["throttle", "clear", "--email", "Owner@Example.com"], {
        env: { DATA_DIR: dataDir },
      });
      expect(account.stdout).toBe("Cleared 1 throttle counter of account owner@example.com (the database).\n");

      await withServices(dataDir, async (ctx) => {
        // Neither a wait nor a CAPTCHA: the attempt reaches the password check.
        await expect(
          ctx.abuse.throttle.attempt("login", "admin", subject, undefined, async () => "signed in"),
        ).resolves.toBe("signed in");
      });
    },
    slow,
  );
});
