import { FixedClock } from "@gatehouse/core";
import { sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abuseTestEnv } from "./support/abuse-env.ts";
import { Browser } from "./support/browser.ts";
import { selectRows } from "./support/sql.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * TOTP for admins (SPEC §5, issue 18): enrolment confirmed by a first code, hashed single-use recovery
 * codes, the half-signed-in state that reaches no admin route and dies after 5 minutes, one use per
 * 30-second step, throttling like passwords, and ADMIN_2FA=required sending admins to enrolment first.
 */
let db: TestDatabase;
let server: TestServer;
let required: TestServer;
const clock = new FixedClock("2026-03-01T10:00:00.000Z");
const password = "second factor password 1";
let n = 0;
let ipCounter = 0;

const codeAt = (secret: string, at: Date) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({
    timestamp: at.getTime(),
  });

/** One browser with its own client IP (the throttle counts per IP too). */
function browserOn(target: TestServer) {
  const browser = new Browser(target.baseUrl);
  const ip = `198.51.100.${++ipCounter}`;
  const request = browser.request.bind(browser);
  browser.request = (method, path, options = {}) =>
    request(method, path, { ...options, headers: { "x-forwarded-for": ip, ...options.headers } });
  return browser;
}

/** An admin with a confirmed factor; returns the seed and a signed-out browser. */
async function enrolledAdmin(target: TestServer = server) {
  const email = `totp-${++n}@example.com`;
  const admin = await createAccount(target.ctx, "admin", email, password);
  const browser = browserOn(target);
  expect((await browser.login("admin", email, password)).status).toBe(200);
  const enrol = await browser.request("POST", "/api/admin/auth/totp/enrol", { realm: "admin" });
  expect(enrol.status).toBe(200);
  const confirm = await browser.request("POST", "/api/admin/auth/totp/confirm", {
    realm: "admin",
    body: { code: codeAt(enrol.body.secret, clock.now()) },
  });
  expect(confirm.status).toBe(200);
  expect((await browser.logout("admin")).status).toBe(204);
  // The enrolment code used this step: the next sign-in happens in a later one.
  clock.advance({ seconds: 30 });
  return { admin, email, browser, secret: enrol.body.secret as string, recoveryCodes: confirm.body.recoveryCodes };
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, clock, env: abuseTestEnv() });
  required = await startTestServer({ database: db.database, clock, env: abuseTestEnv({ ADMIN_2FA: "required" }) });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await required?.close();
  await db?.drop();
});

describe("TOTP enrolment", () => {
  it("shows the seed once as text, URI and QR code, confirms with a first code, and stores neither seed nor recovery codes in clear", async () => {
    const email = `enrol-${++n}@example.com`;
    const admin = await createAccount(server.ctx, "admin", email, password);
    const browser = browserOn(server);
    await browser.login("admin", email, password);
    const enrol = await browser.request("POST", "/api/admin/auth/totp/enrol", { realm: "admin" });
    expect(enrol.status).toBe(200);
    expect(enrol.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Gatehouse:.+\?.*secret=/);
    expect(enrol.body.qrSvg).toContain("<svg");
    // Not yet a factor: a wrong code does not confirm it.
    const wrong = await browser.request("POST", "/api/admin/auth/totp/confirm", {
      realm: "admin",
      body: { code: codeAt(enrol.body.secret, new Date(clock.now().getTime() + 10 * 60_000)) },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("totp_invalid");
    expect((await browser.request("GET", "/api/admin/auth/totp")).body).toMatchObject({ enrolled: false });
    const confirm = await browser.request("POST", "/api/admin/auth/totp/confirm", {
      realm: "admin",
      body: { code: codeAt(enrol.body.secret, clock.now()) },
    });
    expect(confirm.status).toBe(200);
    expect(confirm.body.signedIn).toBeNull();
    const codes: string[] = confirm.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await browser.request("GET", "/api/admin/auth/totp")).body).toMatchObject({
      enrolled: true,
      recoveryCodesLeft: 10,
    });
    // Enrolling again needs the current factor removed first.
    const again = await browser.request("POST", "/api/admin/auth/totp/enrol", { realm: "admin" });
    expect(again.body.error.code).toBe("totp_already_enrolled");

    const stored = await selectRows(
      db.database,
      sql`select f.secret_ciphertext, r.code_hash from totp_factors f join recovery_codes r using (principal_id) where principal_id = ${admin.id}`,
    );
    const text = JSON.stringify(stored);
    expect(stored).toHaveLength(10);
    expect(text).not.toContain(enrol.body.secret);
    for (const code of codes) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(code.replace("-", ""));
    }
    const events = server.audit.events.filter((e) => e.principalId === admin.id).map((e) => e.type);
    expect(events).toContain("totp_enrolled");
  });
});

describe("signing in with a second factor", () => {
  it("a half-signed-in session reaches no admin route, only the code route, the session endpoint and logout", async () => {
    const { browser, email } = await enrolledAdmin();
    const login = await browser.login("admin", email, password);
    expect(login.status).toBe(200);
    expect(login.body.session.stage).toBe("second_factor");
    // It lives 5 minutes at most.
    expect(new Date(login.body.session.expiresAt).getTime() - clock.now().getTime()).toBe(5 * 60_000);
    const session = await browser.session("admin");
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ session: { stage: "second_factor" }, permissions: [] });

    const allowed = new Set([
      "GET /api/admin/auth/session",
      "POST /api/admin/auth/logout",
      "POST /api/admin/auth/totp/verify",
    ]);
    // Every route that reads an admin session (the document's security names the admin cookie).
    const doc = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>>;
    };
    const readsAdminSession = (method: string, url: string) =>
      doc.paths[url.replace(/:(\w+)/g, "{$1}")]?.[method.toLowerCase()]?.security?.some((s) => "adminSession" in s);
    const routes = server.app.routeTable.filter(
      (r) =>
        r.url.startsWith("/api/") &&
        r.method !== "HEAD" &&
        readsAdminSession(r.method, r.url) &&
        !allowed.has(`${r.method} ${r.url}`),
    );
    expect(routes.length).toBeGreaterThan(25);
    const answers = new Set<string>();
    for (const route of routes) {
      const url = route.url
        .replace(":sessionId", "AAAAAAAAAAAAAAAAAAAAAA")
        .replace(/:\w+/g, "00000000-0000-4000-8000-000000000000");
      const r = await browser.request(route.method, url, {
        realm: "admin",
        body: route.method === "GET" ? undefined : {},
      });
      answers.add(`${r.status} ${r.body?.error?.code}`);
      if (r.status !== 403) throw new Error(`${route.method} ${route.url} answered ${r.status}`);
    }
    expect([...answers]).toEqual(["403 second_factor_required"]);
  });

  it("refuses a wrong code, accepts the right one once per 30-second step (no replay), and swaps the token", async () => {
    const { browser, email, secret, admin } = await enrolledAdmin();
    const login = await browser.login("admin", email, password);
    const halfToken = await browser.cookie("__Host-admin_session");
    const wrongCode = codeAt(secret, new Date(clock.now().getTime() + 5 * 60_000));
    const wrong = await browser.request("POST", "/api/admin/auth/totp/verify", {
      realm: "admin",
      body: { code: wrongCode },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("totp_invalid");

    const code = codeAt(secret, clock.now());
    const ok = await browser.request("POST", "/api/admin/auth/totp/verify", { realm: "admin", body: { code } });
    expect(ok.status).toBe(200);
    expect(ok.body.session.stage).toBe("full");
    expect(ok.body.session.id).not.toBe(login.body.session.id);
    expect(await browser.cookie("__Host-admin_session")).not.toBe(halfToken);
    expect((await browser.request("GET", "/api/admin/roles")).status).toBe(200);
    expect((await browser.session("admin")).body.permissions).toContain("roles.manage");

    // The same code again in the same window, from a new sign-in: refused.
    await browser.logout("admin");
    await browser.login("admin", email, password);
    const replay = await browser.request("POST", "/api/admin/auth/totp/verify", { realm: "admin", body: { code } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("totp_invalid");
    // Parallel uses of the next step's code: exactly one wins.
    clock.advance({ seconds: 30 });
    const next = codeAt(secret, clock.now());
    const racers = await Promise.all(
      Array.from({ length: 5 }, () =>
        server.ctx.useCases.secondFactor
          .reauthenticate(
            // a full session of the admin, so the race is on the code alone
            { ...login.body.session, id: "race", principalId: admin.id, realm: "admin" } as never,
            { code: next },
            { ip: null, throttleIp: `race-${n}`, userAgent: null },
          )
          .then(
            () => "ok",
            (e: { code?: string }) => e.code ?? "error",
          ),
      ),
    );
    // markAuthenticated on a missing session fails after the code was used: the code decides first.
    expect(racers.filter((r) => r === "totp_invalid")).toHaveLength(4);
    const events = server.audit.events.filter((e) => e.principalId === admin.id).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(["totp_failed", "totp_verified"]));
  });

  it("expires the half-signed-in state after 5 minutes", async () => {
    const { browser, email, secret } = await enrolledAdmin();
    await browser.login("admin", email, password);
    clock.advance({ minutes: 5, seconds: 1 });
    const late = await browser.request("POST", "/api/admin/auth/totp/verify", {
      realm: "admin",
      body: { code: codeAt(secret, clock.now()) },
    });
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe("session_expired");
  });

  it("accepts each recovery code once", async () => {
    const { browser, email, recoveryCodes } = await enrolledAdmin();
    const recoveryCode = recoveryCodes[3] as string;
    await browser.login("admin", email, password);
    const first = await browser.request("POST", "/api/admin/auth/totp/verify", {
      realm: "admin",
      body: { recoveryCode },
    });
    expect(first.status).toBe(200);
    expect((await browser.request("GET", "/api/admin/auth/totp")).body.recoveryCodesLeft).toBe(9);
    await browser.logout("admin");
    await browser.login("admin", email, password);
    const second = await browser.request("POST", "/api/admin/auth/totp/verify", {
      realm: "admin",
      body: { recoveryCode },
    });
    expect(second.status).toBe(401);
    expect(second.body.error.code).toBe("totp_invalid");
  });

  it("throttles repeated wrong codes like passwords: after 5 failures even the right code waits", async () => {
    const { browser, email, secret } = await enrolledAdmin();
    await browser.login("admin", email, password);
    const wrongCode = codeAt(secret, new Date(clock.now().getTime() + 10 * 60_000));
    for (let i = 0; i < 5; i++) {
      const r = await browser.request("POST", "/api/admin/auth/totp/verify", {
        realm: "admin",
        body: { code: wrongCode },
      });
      expect(r.status).toBe(401);
    }
    const limited = await browser.request("POST", "/api/admin/auth/totp/verify", {
      realm: "admin",
      body: { code: codeAt(secret, clock.now()) },
    });
    expect([429, 403]).toContain(limited.status);
    expect(["rate_limited", "captcha_required"]).toContain(limited.body.error.code);
    expect((await browser.request("GET", "/api/admin/roles")).status).toBe(403);
  });
});

describe("ADMIN_2FA=required", () => {
  it("sends an admin without a factor to enrolment before anything else, then signs them in fully", async () => {
    const email = `required-${++n}@example.com`;
    await createAccount(required.ctx, "admin", email, password);
    const browser = browserOn(required);
    const login = await browser.login("admin", email, password);
    expect(login.body.session.stage).toBe("enrolment");
    const refused = await browser.request("GET", "/api/admin/principals");
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("enrolment_required");
    const enrol = await browser.request("POST", "/api/admin/auth/totp/enrol", { realm: "admin" });
    const confirm = await browser.request("POST", "/api/admin/auth/totp/confirm", {
      realm: "admin",
      body: { code: codeAt(enrol.body.secret, clock.now()) },
    });
    expect(confirm.status).toBe(200);
    expect(confirm.body.signedIn.session.stage).toBe("full");
    expect((await browser.request("GET", "/api/admin/principals")).status).toBe(200);
    // Users are never required to enrol.
    const userEmail = `user-${++n}@example.com`;
    await createAccount(required.ctx, "user", userEmail, password);
    expect((await browserOn(required).login("user", userEmail, password)).body.session.stage).toBe("full");
  });
});
