import type { ChamaDb } from "@gatehouse/chamahub";
import { JobQueue, JobRunner } from "@gatehouse/chamahub/testing";
import { systemClock } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "./support/test-database.ts";

/**
 * One runner per job across nodes: several runners (on PostgreSQL each with its own connection pool,
 * as separate nodes would have) drain one queue at the same time; every job runs exactly once.
 */
describe(`ChamaHub job queue across runners on ${onPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  let test: TestDatabase;
  const extra: Array<{ close(): Promise<void> }> = [];
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    for (const database of extra) await database.close();
    await test.drop();
  });

  it("60 jobs, 3 runners draining at once: each job runs exactly once", async () => {
    const databases = [test.database];
    if (test.url) {
      for (let i = 0; i < 2; i++) {
        const other = await openDatabase({ databaseUrl: test.url, poolSize: 2 });
        extra.push(other);
        databases.push(other);
      }
    }
    const runs = new Map<string, number>();
    const queues = databases.map((d) => new JobQueue(d.db as unknown as ChamaDb, systemClock));
    const log = { error: () => {} };
    const runners = [0, 1, 2].map(
      (i) =>
        new JobRunner(
          queues[i % queues.length] as JobQueue,
          {
            count: async (job) => {
              runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
              await new Promise((resolve) => setTimeout(resolve, 2)); // hold the claim a moment
              return { by: i };
            },
          },
          log,
        ),
    );
    const queue = queues[0] as JobQueue;
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push((await queue.enqueue({ type: "count", payload: { i } })).id);
    const ran = await Promise.all(runners.map((r) => r.drain()));
    expect(ran.reduce((a, b) => a + b, 0)).toBe(60);
    // The work was really shared (on PGlite the three share one connection, and still split it).
    expect(ran.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
    for (const id of ids) expect((await queue.get(id))?.status).toBe("succeeded");
  });
});
