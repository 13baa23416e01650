import { describe, expect, it, vi } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { startCleanupSchedule } from "../src/jobs/cleanup-schedule.ts";
import { createTestDatabase } from "./support/test-database.ts";
import { startTestServer } from "./support/test-server.ts";

const base = { NODE_ENV: "test", PUBLIC_URL: "http://localhost:3000" } as const;

describe("session lifecycle configuration", () => {
  it("defaults to an hourly cleanup in batches of 1,000 and no cron endpoint", () => {
    const config = loadConfig({ ...base });
    expect(config.cleanup).toEqual({ intervalSeconds: 3600, batchSize: 1000 });
    expect(config.cronSecret).toBeUndefined();
  });

  it("reads the variables, allows 0 to turn the schedule off, and names a bad variable", () => {
    const config = loadConfig({
      ...base,
      CLEANUP_INTERVAL_SECONDS: "0",
      CLEANUP_BATCH_SIZE: "250",
      CRON_SECRET: "x".repeat(32),
    });
    expect(config.cleanup).toEqual({ intervalSeconds: 0, batchSize: 250 });
    expect(config.cronSecret).toBe("x".repeat(32));
    for (const [name, value] of [
      ["CRON_SECRET", "too-short"],
      ["CLEANUP_INTERVAL_SECONDS", "-1"],
      ["CLEANUP_BATCH_SIZE", "0"],
    ] as const) {
      expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(name));
    }
  });
});

describe("cleanup schedule", () => {
  it("runs on its interval and records the run", async () => {
    const db = await createTestDatabase();
    const server = await startTestServer({ database: db.database, env: { CLEANUP_INTERVAL_SECONDS: "1" } });
    const stop = startCleanupSchedule(server.ctx, server.app.log);
    try {
      await vi.waitFor(
        () =>
          expect(server.audit.events.some((e) => e.type === "cleanup_ran" && e.actor === "system:schedule")).toBe(true),
        { timeout: 5000, interval: 100 },
      );
    } finally {
      stop();
      await server.close();
      await db.drop();
    }
  });
});
