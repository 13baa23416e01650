import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const password = "fixation test password";
let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
  await createAccount(server.ctx, "user", "victim@example.com", password);
  await createAccount(server.ctx, "user", "attacker@example.com", password);
  await createAccount(server.ctx, "admin", "victim@example.com", password);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe("session fixation", () => {
  for (const realm of ["user", "admin"]) {
    it(`${realm}: every login issues a new token, and the one presented before no longer authenticates`, async () => {
      const browser = new Browser(server.baseUrl);
      const cookieName = `__Host-${realm}_session`;
      await browser.login(realm, "victim@example.com", password);
      const before = await browser.cookie(cookieName);
      expect(before).toBeDefined();
      const again = await browser.login(realm, "victim@example.com", password);
      expect(again.status).toBe(200);
      const after = await browser.cookie(cookieName);
      expect(after).toBeDefined();
      expect(after).not.toBe(before);

      const stale = new Browser(server.baseUrl);
      await stale.jar.setCookie(`${cookieName}=${before}; Path=/; Secure`, server.baseUrl);
      expect(await stale.cookie(cookieName)).toBe(before);
      expect((await stale.session(realm)).status).toBe(401);
      expect((await browser.session(realm)).status).toBe(200);
    });
  }

  it("a token planted in the victim's browser is not adopted: the victim's login replaces it", async () => {
    // The attacker signs in, plants their own session cookie in the victim's browser...
    const attacker = new Browser(server.baseUrl);
    await attacker.login("user", "attacker@example.com", password);
    const planted = await attacker.cookie("__Host-user_session");
    const victim = new Browser(server.baseUrl);
    await victim.jar.setCookie(`__Host-user_session=${planted}; Path=/; Secure`, server.baseUrl);
    // ...the victim signs in to their own account over it.
    const login = await victim.login("user", "victim@example.com", password);
    expect(login.status).toBe(200);
    const issued = await victim.cookie("__Host-user_session");
    expect(issued).not.toBe(planted);
    expect((await victim.session("user")).body.principal.email).toBe("victim@example.com");
    // The planted token ended with the victim's login: the attacker learns nothing from it.
    expect((await attacker.session("user")).status).toBe(401);
  });

  it("a made-up token of the right shape is never adopted", async () => {
    const browser = new Browser(server.baseUrl);
    const forged = `${"A".repeat(22)}.${"B".repeat(43)}`;
    await browser.jar.setCookie(`__Host-user_session=${forged}; Path=/; Secure`, server.baseUrl);
    expect((await browser.session("user")).status).toBe(401);
    await browser.login("user", "victim@example.com", password);
    expect(await browser.cookie("__Host-user_session")).not.toBe(forged);
  });

  it("the CSRF token changes with the session", async () => {
    const browser = new Browser(server.baseUrl);
    const first = await browser.login("user", "victim@example.com", password);
    const second = await browser.login("user", "victim@example.com", password);
    expect(first.body.csrfToken).toBeTruthy();
    expect(second.body.csrfToken).not.toBe(first.body.csrfToken);
    expect((await browser.request("POST", "/api/user/auth/logout", { csrf: first.body.csrfToken })).status).toBe(403);
  });
});
