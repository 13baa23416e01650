import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * Realms are data: a third realm, added by configuration alone (EXTRA_REALMS), gets sign-up, sign-in,
 * its own sessions and cookie, and the same isolation from `user` and `admin` as they have from each other.
 */
const partner = {
  name: "partner",
  idleTimeoutSeconds: 3600,
  absoluteTimeoutSeconds: 8 * 3600,
  maxSessionsPerPrincipal: 3,
  cookieSameSite: "strict",
  selfSignup: true,
};
const email = "otieno@example.com";
const partnerPassword = "partner password 12345";
const userPassword = "user password 12345";
const adminPassword = "admin password 12345";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, env: { EXTRA_REALMS: JSON.stringify([partner]) } });
  await createAccount(server.ctx, "user", email, userPassword);
  await createAccount(server.ctx, "admin", email, adminPassword);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe("a third realm from configuration alone", () => {
  it("signs up, signs in, lists and revokes its sessions, with its own cookie", async () => {
    const first = new Browser(server.baseUrl);
    const signup = await first.request("POST", "/api/partner/auth/signup", {
      body: { email, password: partnerPassword },
    });
    expect(signup.status).toBe(201);
    expect(signup.body.principal).toMatchObject({ realm: "partner", email });
    expect(signup.setCookies[0]).toMatch(/^__Host-partner_session=[^;]+;.*SameSite=Strict/i);

    const second = new Browser(server.baseUrl);
    const login = await second.login("partner", email, partnerPassword);
    expect(login.status).toBe(200);
    expect((await second.session("partner")).body.principal.realm).toBe("partner");

    const listed = await second.request("GET", "/api/partner/sessions");
    expect(listed.status).toBe(200);
    expect(listed.body.sessions).toHaveLength(2);
    const other = listed.body.sessions.find((s: { current: boolean }) => !s.current);
    const revoked = await second.request("DELETE", `/api/partner/sessions/${other.id}`, { realm: "partner" });
    expect(revoked.status).toBe(204);
    expect((await first.session("partner")).status).toBe(401);
    expect((await second.session("partner")).status).toBe(200);
  });

  it("is isolated from user and admin in one browser, both ways", async () => {
    const browser = new Browser(server.baseUrl);
    expect((await browser.login("partner", email, partnerPassword)).status).toBe(200);
    expect((await browser.login("user", email, userPassword)).status).toBe(200);
    expect((await browser.login("admin", email, adminPassword)).status).toBe(200);
    // Three principals with one email: each realm's password works only there.
    expect((await new Browser(server.baseUrl).login("partner", email, userPassword)).status).toBe(401);

    const partnerLogout = await browser.logout("partner");
    expect(partnerLogout.setCookies).toHaveLength(1);
    expect(partnerLogout.setCookies[0]).toMatch(/^__Host-partner_session=;/);
    expect((await browser.session("user")).status).toBe(200);
    expect((await browser.session("admin")).status).toBe(200);

    expect((await browser.login("partner", email, partnerPassword)).status).toBe(200);
    expect((await browser.logout("user")).status).toBe(204);
    expect((await browser.session("partner")).status).toBe(200);

    // A password change in the partner realm ends no user or admin session.
    expect((await browser.login("user", email, userPassword)).status).toBe(200);
    const changed = await browser.request("POST", "/api/partner/auth/password", {
      realm: "partner",
      body: { currentPassword: partnerPassword, newPassword: "partner password 67890" },
    });
    expect(changed.status).toBe(200);
    expect((await browser.session("user")).status).toBe(200);
    expect((await browser.session("admin")).status).toBe(200);
  });

  it("gets no admin API and no code sign-in unless its configuration says so", async () => {
    const browser = new Browser(server.baseUrl);
    await browser.login("partner", email, "partner password 67890");
    expect((await browser.request("GET", "/api/admin/principals")).status).toBe(401);
    const otp = await browser.request("POST", "/api/partner/auth/otp/request", { body: { email } });
    expect(otp.status).toBe(404);
  });

  it("refuses a bad realm configuration at boot, naming the variable", async () => {
    for (const bad of ["not json", JSON.stringify([{ ...partner, name: "admin" }]), JSON.stringify([{ name: "x1" }])]) {
      await expect(startTestServer({ database: db.database, env: { EXTRA_REALMS: bad } })).rejects.toThrow(
        /EXTRA_REALMS/,
      );
    }
  });
});
