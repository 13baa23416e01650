import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const email = "wanjiku@example.com";
const userPassword = "user password 12345";
const adminPassword = "admin password 12345";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
  // The same email in both realms: two separate principals.
  await createAccount(server.ctx, "user", email, userPassword);
  await createAccount(server.ctx, "admin", email, adminPassword);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

async function signedInToBoth(): Promise<Browser> {
  const browser = new Browser(server.baseUrl);
  expect((await browser.login("user", email, userPassword)).status).toBe(200);
  expect((await browser.login("admin", email, adminPassword)).status).toBe(200);
  return browser;
}

describe("realm isolation in one browser (seed 002)", () => {
  it("user logout leaves the admin session valid and the admin cookie untouched", async () => {
    const browser = await signedInToBoth();
    const adminCookieBefore = await browser.cookie("__Host-admin_session");
    const logout = await browser.logout("user");
    expect(logout.status).toBe(204);
    expect(logout.headers.get("clear-site-data")).toBeNull();
    expect(logout.setCookies).toHaveLength(1);
    expect(logout.setCookies[0]).toMatch(/^__Host-user_session=;/);
    expect(await browser.cookie("__Host-admin_session")).toBe(adminCookieBefore);
    expect((await browser.session("admin")).status).toBe(200);
    expect((await browser.session("user")).status).toBe(401);
  });

  it("admin logout leaves the user session valid and the user cookie untouched", async () => {
    const browser = await signedInToBoth();
    const userCookieBefore = await browser.cookie("__Host-user_session");
    const logout = await browser.logout("admin");
    expect(logout.status).toBe(204);
    expect(logout.headers.get("clear-site-data")).toBeNull();
    expect(logout.setCookies.every((c) => c.startsWith("__Host-admin_session="))).toBe(true);
    expect(await browser.cookie("__Host-user_session")).toBe(userCookieBefore);
    expect((await browser.session("user")).status).toBe(200);
    expect((await browser.session("admin")).status).toBe(401);
  });

  it("signing in again in one realm leaves the other realm's session and cookie alone", async () => {
    for (const [again, other, password] of [
      ["user", "admin", userPassword],
      ["admin", "user", adminPassword],
    ] as const) {
      const browser = await signedInToBoth();
      const otherCookie = await browser.cookie(`__Host-${other}_session`);
      const second = await browser.login(again, email, password);
      expect(second.status).toBe(200);
      expect(second.setCookies.every((c) => c.startsWith(`__Host-${again}_session=`))).toBe(true);
      expect(await browser.cookie(`__Host-${other}_session`)).toBe(otherCookie);
      expect((await browser.session(other)).status).toBe(200);
      expect((await browser.session(again)).status).toBe(200);
    }
  });

  it("logging out of both, in either order, ends each exactly when asked", async () => {
    for (const order of [
      ["user", "admin"],
      ["admin", "user"],
    ] as const) {
      const browser = await signedInToBoth();
      const [first, second] = order;
      await browser.logout(first);
      expect((await browser.session(first)).status).toBe(401);
      expect((await browser.session(second)).status).toBe(200);
      await browser.logout(second);
      expect((await browser.session(second)).status).toBe(401);
    }
  });

  it("a corrupt cookie in one realm is cleared without touching the other realm", async () => {
    const browser = await signedInToBoth();
    const adminCookie = await browser.cookie("__Host-admin_session");
    await browser.jar.setCookie("__Host-user_session=garbage; Path=/; Secure; HttpOnly", server.baseUrl);
    expect(await browser.cookie("__Host-user_session")).toBe("garbage");
    const response = await browser.session("user");
    expect(response.status).toBe(401);
    expect(response.setCookies.every((c) => c.startsWith("__Host-user_session=;"))).toBe(true);
    expect(await browser.cookie("__Host-admin_session")).toBe(adminCookie);
    expect((await browser.session("admin")).status).toBe(200);
  });

  it("sets each realm's cookie with its own attributes", async () => {
    const browser = new Browser(server.baseUrl);
    const user = await browser.login("user", email, userPassword);
    const admin = await browser.login("admin", email, adminPassword);
    const userCookie = user.setCookies[0] ?? "";
    const adminCookie = admin.setCookies[0] ?? "";
    for (const cookie of [userCookie, adminCookie]) {
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(cookie).not.toMatch(/Max-Age|Expires/i); // browser-session cookies without remember-me
    }
    expect(userCookie).toMatch(/^__Host-user_session=.*; SameSite=Lax/);
    expect(adminCookie).toMatch(/^__Host-admin_session=.*; SameSite=Strict/);
  });

  it("an admin cookie is never accepted as a user session, or the reverse", async () => {
    const browser = await signedInToBoth();
    const adminToken = await browser.cookie("__Host-admin_session");
    const userToken = await browser.cookie("__Host-user_session");
    const swapped = new Browser(server.baseUrl);
    await swapped.jar.setCookie(`__Host-user_session=${adminToken}; Path=/; Secure`, server.baseUrl);
    await swapped.jar.setCookie(`__Host-admin_session=${userToken}; Path=/; Secure`, server.baseUrl);
    expect(await swapped.cookie("__Host-user_session")).toBe(adminToken);
    expect(await swapped.cookie("__Host-admin_session")).toBe(userToken);
    expect((await swapped.session("user")).status).toBe(401);
    expect((await swapped.session("admin")).status).toBe(401);
  });
});
