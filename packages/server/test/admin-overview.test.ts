import { FixedClock } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const password = "overview password 1";
// Mid-day, so the 24 h range spans two calendar days.
const clock = new FixedClock("2026-05-10T14:20:00.000Z");

let db: TestDatabase;
let server: TestServer;
let admin: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, clock, auditTable: true });
  await createAccount(server.ctx, "admin", "chart-admin@example.com", password);
  await createAccount(server.ctx, "user", "chart-user@example.com", password);
  // Two days ago: one user sign-in and one failure.
  clock.set("2026-05-08T09:15:00.000Z");
  expect((await new Browser(server.baseUrl).login("user", "chart-user@example.com", password)).status).toBe(200);
  expect((await new Browser(server.baseUrl).login("user", "chart-user@example.com", "wrong password!!")).status).toBe(
    401,
  );
  // Now: two user sign-ins, two failures, and the admin.
  clock.set("2026-05-10T14:20:00.000Z");
  for (let i = 0; i < 2; i++) {
    expect((await new Browser(server.baseUrl).login("user", "chart-user@example.com", password)).status).toBe(200);
    expect((await new Browser(server.baseUrl).login("user", "nobody@example.com", password)).status).toBe(401);
  }
  admin = new Browser(server.baseUrl);
  expect((await admin.login("admin", "chart-admin@example.com", password)).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe("GET /api/admin/overview", () => {
  it("counts live sessions per realm, every realm listed", async () => {
    const answer = await admin.request("GET", "/api/admin/overview?range=7d");
    expect(answer.status).toBe(200);
    // The sign-in of two days ago has passed the user realm's 24 h absolute timeout.
    expect(answer.body.activeSessions).toEqual([
      { realm: "user", count: 2 },
      { realm: "admin", count: 1 },
    ]);
  });

  it("gives sign-ins and failures per day over 7 days, oldest first, empty days included", async () => {
    const { body } = await admin.request("GET", "/api/admin/overview?range=7d");
    expect(body.bucket).toBe("day");
    expect(body.signIns).toHaveLength(7);
    expect(body.signIns[0].bucketStart).toBe("2026-05-04T00:00:00.000Z");
    const byDay = Object.fromEntries(
      body.signIns.map((s: any) => [s.bucketStart.slice(0, 10), [s.signIns, s.failures]]),
    );
    expect(byDay["2026-05-08"]).toEqual([1, 1]);
    expect(byDay["2026-05-09"]).toEqual([0, 0]);
    expect(byDay["2026-05-10"]).toEqual([3, 2]);
  });

  it("gives hourly buckets over 24 hours", async () => {
    const { body } = await admin.request("GET", "/api/admin/overview?range=24h");
    expect(body.signIns).toHaveLength(24);
    expect(body.signIns.at(-1)).toEqual({ bucketStart: "2026-05-10T14:00:00.000Z", signIns: 3, failures: 2 });
    expect(body.signIns[0].bucketStart).toBe("2026-05-09T15:00:00.000Z");
  });

  it("refuses an unknown range and anyone without an admin session", async () => {
    expect((await admin.request("GET", "/api/admin/overview?range=1y")).status).toBe(400);
    expect((await new Browser(server.baseUrl).request("GET", "/api/admin/overview")).status).toBe(401);
  });
});
