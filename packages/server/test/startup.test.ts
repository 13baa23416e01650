import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.ts";
import { startServerProcess, stopAllChildren } from "./support/child-process.ts";

/**
 * Start-up never loses what it printed and says what is wrong in one line: a busy port fails before
 * any demo account exists, an unreachable PostgreSQL names DATABASE_URL and its host, and production
 * without an admin says how to create one.
 */
const slow = 300_000; // child processes on a loaded two-core machine
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stopAllChildren();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-startup-"));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function occupiedPort(): Promise<number> {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => blocker.close(() => resolve())));
  return (blocker.address() as net.AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const noStackTrace = /^\s+at /m;

describe("start-up", () => {
  it(
    "on a busy port exits 1 naming the port, before any demo account is created",
    async () => {
      const port = await occupiedPort();
      const dataDir = tempDataDir();
      const result = await startServerProcess({ DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1" }).wait();
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^PORT: ${port} is already in use on 127\\.0\\.0\\.1`));
      expect(result.stderr).not.toMatch(noStackTrace);
      expect(result.stdout).not.toMatch(/demo|password/i);

      // Nothing was created that nobody saw, and the data-dir lock was released.
      const database = await openDatabase({ dataDir });
      try {
        const rows = await database.db.execute("select count(*)::int as n from principals");
        expect(Number((rows as unknown as { rows: { n: number }[] }).rows[0]?.n)).toBe(0);
      } finally {
        await database.close();
      }
    },
    slow,
  );

  it(
    "with PostgreSQL unreachable names DATABASE_URL and the host, without the password or a stack trace",
    async () => {
      const port = await closedPort();
      const result = await startServerProcess({
        DATA_DIR: tempDataDir(),
        PORT: "0",
        DATABASE_URL: `postgres://gatehouse:hunter2-not-printed@127.0.0.1:${port}/gatehouse`,
      }).wait();
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(`^DATABASE_URL: cannot use PostgreSQL at 127\\.0\\.0\\.1:${port}/gatehouse`),
      );
      expect(result.stderr).toMatch(/ECONNREFUSED/);
      expect(result.stderr).not.toMatch(noStackTrace);
      expect(result.stderr + result.stdout).not.toContain("hunter2");
    },
    slow,
  );

  it(
    "in production with no admin creates no demo account and says how to create an admin",
    async () => {
      const server = startServerProcess({
        DATA_DIR: tempDataDir(),
        PORT: "0",
        HOST: "127.0.0.1",
        NODE_ENV: "production",
        PUBLIC_URL: "https://auth.example.com",
        SESSION_SECRET: "a-production-secret-of-at-least-32-chars",
      });
      await server.waitForOutput(/Gatehouse is listening/, 240_000);
      await server.stop();
      expect(server.stdout()).toContain("No admin account exists yet");
      expect(server.stdout()).toContain("npm run cli -- admin create --email");
      expect(server.stdout()).not.toContain("Created demo accounts");
    },
    slow,
  );
});
