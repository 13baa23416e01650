import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const oldPassword = "old password 123456";
const newPassword = "brand new password 987";

let db: TestDatabase;
let server: TestServer;
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

async function signedIn(count: number) {
  n += 1;
  const email = `change-${n}@example.com`;
  await createAccount(server.ctx, "user", email, oldPassword);
  await createAccount(server.ctx, "admin", email, oldPassword);
  const browsers: Browser[] = [];
  for (let i = 0; i < count; i++) {
    const browser = new Browser(server.baseUrl);
    expect((await browser.login("user", email, oldPassword)).status).toBe(200);
    browsers.push(browser);
  }
  return { email, browsers };
}

describe("password change", () => {
  it("signs other devices out, keeps this one in with a new token and CSRF token; the old token fails", async () => {
    const { email, browsers } = await signedIn(3);
    const [me, phone, laptop] = browsers as [Browser, Browser, Browser];
    expect((await me.login("admin", email, oldPassword)).status).toBe(200);
    const adminCookie = await me.cookie("__Host-admin_session");
    const oldToken = await me.cookie("__Host-user_session");
    const oldCsrf = me.csrf.user;

    const changed = await me.request("POST", "/api/user/auth/password", {
      realm: "user",
      body: { currentPassword: oldPassword, newPassword },
    });
    expect(changed.status).toBe(200);
    expect(changed.setCookies).toHaveLength(1);
    expect(changed.setCookies[0]).toMatch(/^__Host-user_session=/);
    const newToken = await me.cookie("__Host-user_session");
    expect(newToken).not.toBe(oldToken);
    expect(changed.body.csrfToken).not.toBe(oldCsrf);
    expect(changed.body.session.id).toBe(newToken?.split(".")[0]);

    // Other devices and the old token are out on their very next request.
    expect((await phone.session("user")).status).toBe(401);
    expect((await laptop.session("user")).status).toBe(401);
    const stale = new Browser(server.baseUrl);
    await stale.jar.setCookie(`__Host-user_session=${oldToken}; Path=/; Secure`, server.baseUrl);
    expect((await stale.session("user")).status).toBe(401);
    // This browser stays in with the new token and the new CSRF token works, the old one does not.
    expect((await me.session("user")).status).toBe(200);
    expect((await me.request("POST", "/api/user/sessions/revoke-others", { csrf: oldCsrf ?? "" })).status).toBe(403);
    expect((await me.request("POST", "/api/user/sessions/revoke-others", { realm: "user" })).status).toBe(200);
    // The admin realm, same email, is untouched.
    expect(await me.cookie("__Host-admin_session")).toBe(adminCookie);
    expect((await me.session("admin")).status).toBe(200);
    // Only the new password signs in.
    expect((await new Browser(server.baseUrl).login("user", email, oldPassword)).status).toBe(401);
    expect((await new Browser(server.baseUrl).login("user", email, newPassword)).status).toBe(200);
    expect((await new Browser(server.baseUrl).login("admin", email, oldPassword)).status).toBe(200);
    const event = server.audit.events.findLast((e) => e.type === "password_changed");
    expect(event?.details).toEqual({ revokedSessions: 2 });
  });

  it("refuses a wrong current password with invalid_credentials and changes nothing", async () => {
    const { email, browsers } = await signedIn(2);
    const [me, other] = browsers as [Browser, Browser];
    const response = await me.request("POST", "/api/user/auth/password", {
      realm: "user",
      body: { currentPassword: "not my password!!", newPassword },
    });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("invalid_credentials");
    expect(response.setCookies).toHaveLength(0);
    expect((await me.session("user")).status).toBe(200);
    expect((await other.session("user")).status).toBe(200);
    expect((await new Browser(server.baseUrl).login("user", email, oldPassword)).status).toBe(200);
  });

  it("refuses a weak new password with weak_password", async () => {
    const { browsers } = await signedIn(1);
    const [me] = browsers as [Browser];
    const response = await me.request("POST", "/api/user/auth/password", {
      realm: "user",
      body: { currentPassword: oldPassword, newPassword: "short" },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("weak_password");
  });

  it("needs a session and the CSRF token", async () => {
    const { browsers } = await signedIn(1);
    const [me] = browsers as [Browser];
    const body = { currentPassword: oldPassword, newPassword };
    expect((await new Browser(server.baseUrl).request("POST", "/api/user/auth/password", { body })).status).toBe(401);
    expect((await me.request("POST", "/api/user/auth/password", { body, csrf: null })).status).toBe(403);
  });
});
