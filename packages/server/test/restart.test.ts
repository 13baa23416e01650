import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.ts";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, onPostgres } from "./support/test-database.ts";
import { createAccount, startTestServer } from "./support/test-server.ts";

const password = "restart test password";
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * Sessions live in the database, not in process memory (seed 003): a server process that stops and a
 * new one over the same storage accept the same cookies, in both realms.
 */
describe("sessions survive a restart", () => {
  it(onPostgres ? "on PostgreSQL" : "on a PGlite data dir", async () => {
    let open: () => ReturnType<typeof openDatabase>;
    if (onPostgres) {
      const fresh = await createTestDatabase();
      cleanups.push(() => fresh.drop());
      await fresh.database.close();
      open = () => openDatabase({ databaseUrl: fresh.url as string });
    } else {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-restart-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      open = () => openDatabase({ dataDir });
    }

    const firstDb = await open();
    await firstDb.migrate();
    const first = await startTestServer({ database: firstDb });
    await createAccount(first.ctx, "user", "restart@example.com", password);
    await createAccount(first.ctx, "admin", "restart@example.com", password);
    const browser = new Browser(first.baseUrl);
    expect((await browser.login("user", "restart@example.com", password)).status).toBe(200);
    expect((await browser.login("admin", "restart@example.com", password)).status).toBe(200);
    const userToken = await browser.cookie("__Host-user_session");
    const adminToken = await browser.cookie("__Host-admin_session");
    await first.close();
    await firstDb.close();

    const secondDb = await open();
    await secondDb.migrate();
    const second = await startTestServer({ database: secondDb });
    cleanups.push(async () => {
      await second.close();
      await secondDb.close();
    });
    const again = new Browser(second.baseUrl);
    await again.jar.setCookie(`__Host-user_session=${userToken}; Path=/; Secure`, second.baseUrl);
    await again.jar.setCookie(`__Host-admin_session=${adminToken}; Path=/; Secure`, second.baseUrl);
    const user = await again.session("user");
    const admin = await again.session("admin");
    expect(user.status).toBe(200);
    expect(user.body.principal.email).toBe("restart@example.com");
    expect(admin.status).toBe(200);
    expect(admin.body.principal.realm).toBe("admin");
  });
});
