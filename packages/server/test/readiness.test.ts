import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.ts";
import { OwnRedis, waitFor } from "./support/own-redis.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { startTestServer, type TestServer } from "./support/test-server.ts";

/** /readyz reports each configured dependency and is not ready while one of them is down. */

const readyz = async (server: TestServer) => {
  const response = await fetch(`${server.baseUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as any };
};

describe("/readyz without Redis", () => {
  let db: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestServer({ database: db.database });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("is ready with the database and the migrations checked, and no Redis check", async () => {
    const { status, body } = await readyz(server);
    expect(status).toBe(200);
    expect(body).toEqual({
      status: "ready",
      database: db.url ? "postgres" : "pglite",
      checks: { database: "ok", migrations: "ok" },
    });
  });

  it("is not ready on a database whose migrations are not applied", { timeout: 120_000 }, async () => {
    const bare = await openDatabase({ dataDir: undefined }); // in-memory PGlite, never migrated
    const unmigrated = await startTestServer({ database: bare });
    try {
      expect(await bare.pendingMigrations()).toBeGreaterThan(0);
      const { status, body } = await readyz(unmigrated);
      expect(status).toBe(503);
      expect(body.error.code).toBe("storage_unavailable");
      expect(body.error.details).toEqual({
        checks: { database: "ok", migrations: "pending" },
        failing: ["migrations"],
      });
      await bare.migrate();
      expect(await bare.pendingMigrations()).toBe(0);
      expect((await readyz(unmigrated)).status).toBe(200);
    } finally {
      await unmigrated.close();
      await bare.close();
    }
  });
});

// CI sets REDIS_URL (and has redis-server): there this must run, never skip.
const canRun = Boolean(process.env.REDIS_URL);

(canRun ? describe : describe.skip)("/readyz with Redis configured", () => {
  const redis = new OwnRedis();
  let db: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    await redis.start();
    db = await createTestDatabase();
    server = await startTestServer({ database: db.database, env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await server?.close();
    await redis.kill().catch(() => {});
    await db?.drop();
  });

  it("answers 503 naming Redis while it is down, and is ready again when it is back, without a restart", async () => {
    await waitFor(async () => (await readyz(server)).status === 200, 30_000);
    expect((await readyz(server)).body.checks).toEqual({ database: "ok", migrations: "ok", redis: "ok" });

    await redis.kill();
    const down = await readyz(server);
    expect(down.status).toBe(503);
    expect(down.body.error).toMatchObject({
      code: "storage_unavailable",
      details: { checks: { database: "ok", migrations: "ok", redis: "unavailable" }, failing: ["redis"] },
    });
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200); // alive, just not ready

    await redis.start();
    await waitFor(async () => (await readyz(server)).status === 200, 30_000);
    expect((await readyz(server)).body.checks.redis).toBe("ok");
  }, 120_000);
});
