import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { type DoctorRow, formatDoctorTable, runDoctor } from "../src/doctor/doctor.ts";
import { runCli } from "./support/child-process.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";

const strongSecret = "Zq8v-N3x_pL0w2Rk7sYt4uBm9cHd6eFg1jAi5oQ";
const production = {
  NODE_ENV: "production",
  PUBLIC_URL: "https://auth.example.com",
  SESSION_SECRET: strongSecret,
  TRUSTED_PROXIES: "10.0.0.0/8",
  METRICS_TOKEN: "metrics-Token-0123456789",
  SMTP_URL: "smtp://mail.example.com:587",
};
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-doctor-"));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const row = (rows: DoctorRow[], check: string) => rows.find((r) => r.check === check);

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("doctor's fail cases", () => {
  it("fails a plain-http PUBLIC_URL in production (local or not)", async () => {
    const dataDir = tempDataDir();
    const local = await runDoctor({ ...production, DATA_DIR: dataDir, PUBLIC_URL: "http://localhost:3000" });
    expect(row(local, "PUBLIC_URL")).toMatchObject({ status: "fail", detail: expect.stringMatching(/https/) });
    const remote = await runDoctor({ ...production, DATA_DIR: dataDir, PUBLIC_URL: "http://auth.example.com" });
    expect(row(remote, "PUBLIC_URL")?.status).toBe("fail");
  });

  it("fails a short, weak or example secret", async () => {
    const dataDir = tempDataDir();
    const short = await runDoctor({ ...production, DATA_DIR: dataDir, SESSION_SECRET: "too-short" });
    expect(row(short, "SESSION_SECRET")).toEqual({
      check: "SESSION_SECRET",
      status: "fail",
      detail: "must be at least 32 characters",
    });
    const weak = await runDoctor({ ...production, DATA_DIR: dataDir, SESSION_SECRET: "ab".repeat(20) });
    expect(row(weak, "SESSION_SECRET")).toMatchObject({ status: "fail", detail: expect.stringMatching(/^weak/) });
    const example = await runDoctor({
      ...production,
      DATA_DIR: dataDir,
      CRON_SECRET: "at-least-32-random-characters-for-the-cron-endpoint",
    });
    expect(row(example, "CRON_SECRET")).toMatchObject({ status: "fail", detail: expect.stringMatching(/example/) });
    for (const rows of [short, weak, example]) expect(JSON.stringify(rows)).not.toContain("too-short");
  });

  it("fails an unreachable Redis, naming REDIS_URL and the host", async () => {
    const port = await closedPort();
    const rows = await runDoctor({ ...production, DATA_DIR: tempDataDir(), REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(row(rows, "redis")).toEqual({
      check: "redis",
      status: "fail",
      detail: expect.stringMatching(
        new RegExp(`^REDIS_URL: cannot reach Redis at 127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED`),
      ),
    });
  });

  it("fails an unreachable PostgreSQL, naming DATABASE_URL without the password", async () => {
    const port = await closedPort();
    const rows = await runDoctor({
      ...production,
      DATA_DIR: tempDataDir(),
      DATABASE_URL: `postgres://gatehouse:hunter2-doctor@127.0.0.1:${port}/gatehouse`,
    });
    expect(row(rows, "database")).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(
        new RegExp(`^DATABASE_URL: cannot use PostgreSQL at 127\\.0\\.0\\.1:${port}/gatehouse`),
      ),
    });
    expect(JSON.stringify(rows)).not.toContain("hunter2");
  });

  it("fails TRUSTED_PROXIES that trust everyone, and warns about misspelled variables", async () => {
    const rows = await runDoctor({
      ...production,
      DATA_DIR: tempDataDir(),
      TRUSTED_PROXIES: "0.0.0.0/0",
      THROTLE_WINDOW_SECONDS: "60",
      GATEHOUSE_MODE: "x",
      HOME: "/root",
    });
    expect(row(rows, "TRUSTED_PROXIES")?.status).toBe("fail");
    expect(row(rows, "THROTLE_WINDOW_SECONDS")).toEqual({
      check: "THROTLE_WINDOW_SECONDS",
      status: "warn",
      detail: "not a Gatehouse variable, ignored (did you mean THROTTLE_WINDOW_SECONDS?)",
    });
    expect(row(rows, "GATEHOUSE_MODE")?.status).toBe("warn");
    expect(row(rows, "HOME")).toBeUndefined();
  });
});

describe("misspelled variables at boot", () => {
  it("are named in loadConfig's warnings (logged by the server at start)", () => {
    expect(loadConfig({ THROTLE_WINDOW_SECONDS: "60", PATH: "/usr/bin", HOSTNAME: "x" }).warnings).toEqual([
      "THROTLE_WINDOW_SECONDS is not a Gatehouse variable and is ignored (did you mean THROTTLE_WINDOW_SECONDS?).",
    ]);
  });
});

describe("doctor on a sound deployment", () => {
  let db: TestDatabase;
  afterAll(async () => db?.drop());

  it("passes with the database reachable, migrations current and the clock in step", async () => {
    const env: Record<string, string> = { ...production, DATA_DIR: tempDataDir() };
    if (process.env.DATABASE_URL) {
      db = await createTestDatabase();
      env.DATABASE_URL = db.url as string;
    } else {
      const database = await openDatabase({ dataDir: env.DATA_DIR });
      await database.migrate();
      await database.close();
    }
    if (process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL;
    const rows = await runDoctor(env);
    expect(rows.filter((r) => r.status === "fail")).toEqual([]);
    expect(row(rows, "database")?.status).toBe("pass");
    expect(row(rows, "migrations")).toEqual({ check: "migrations", status: "pass", detail: "all applied" });
    expect(row(rows, "clock")?.status).toBe("pass");
    if (env.REDIS_URL) expect(row(rows, "redis")?.status).toBe("pass");
    expect(formatDoctorTable(rows)).toMatch(/^check +status +detail\n/);
  }, 200_000);
});

describe("gatehouse doctor (CLI)", () => {
  it("prints the table and exits 1 when a check fails", async () => {
    const result = await runCli(["doctor"], {
      env: { ...production, DATA_DIR: tempDataDir(), PUBLIC_URL: "http://localhost:3000" },
      timeoutMs: 180_000,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^check +status +detail$/m);
    expect(result.stdout).toMatch(/^PUBLIC_URL +fail +http:\/\/localhost:3000 is plain http/m);
    expect(result.stderr).toBe("doctor: 1 check failed.\n");
  }, 200_000);
});
