import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCleanup } from "../src/jobs/cleanup.ts";
import { csvCell } from "../src/routes/admin/audit-csv.ts";
import { Browser } from "./support/browser.ts";
import { eventually } from "./support/eventually.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer, testSessionSecret } from "./support/test-server.ts";

const email = "audited@example.com";
const userPassword = "audited password 123";
const changedPassword = "audited changed pass 456";
const resetPassword = "audited reset pass 789";
const adminPassword = "auditor password 123";

let db: TestDatabase;
let server: TestServer;
/** Every secret (and raw session id) a browser or mailbox saw during the scenario: none may reach the table. */
const secrets = new Set<string>([userPassword, changedPassword, resetPassword, adminPassword, testSessionSecret]);

async function remember(browser: Browser) {
  for (const name of ["__Host-user_session", "__Host-admin_session"]) {
    const token = await browser.cookie(name);
    if (token) {
      secrets.add(token);
      secrets.add(token.split(".")[1] ?? token);
      secrets.add(token.split(".")[0] ?? token); // events carry a hash of the session id, never the id
    }
  }
  for (const csrf of Object.values(browser.csrf)) secrets.add(csrf);
}

async function tableDump(): Promise<{ text: string; rows: any[] }> {
  const result = await server.ctx.database.db.execute(sql`select * from audit_events order by id`);
  const rows = (result as unknown as { rows: any[] }).rows;
  return { text: JSON.stringify(rows), rows };
}

let admin: Browser;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, auditTable: true });
  userId = (await createAccount(server.ctx, "user", email, userPassword)).id;
  await createAccount(server.ctx, "admin", "auditor@example.com", adminPassword);
  admin = new Browser(server.baseUrl);
  expect((await admin.login("admin", "auditor@example.com", adminPassword)).status).toBe(200);
  await remember(admin);

  // The scenario: every lifecycle action once.
  const a = new Browser(server.baseUrl);
  const b = new Browser(server.baseUrl);
  expect((await a.login("user", email, "wrong password!!")).status).toBe(401);
  expect((await a.login("user", email, userPassword)).status).toBe(200);
  expect((await b.login("user", email, userPassword)).status).toBe(200);
  await remember(a);
  await remember(b);
  const bId = (await b.cookie("__Host-user_session"))?.split(".")[0];
  expect((await a.request("DELETE", `/api/user/sessions/${bId}`, { realm: "user" })).status).toBe(204);
  expect((await b.login("user", email, userPassword)).status).toBe(200);
  await remember(b);
  expect((await a.request("POST", "/api/user/sessions/revoke-others", { realm: "user" })).status).toBe(200);
  const changed = await a.request("POST", "/api/user/auth/password", {
    realm: "user",
    body: { currentPassword: userPassword, newPassword: changedPassword },
  });
  expect(changed.status).toBe(200);
  await remember(a);
  expect((await a.logout("user")).status).toBe(204);

  await new Browser(server.baseUrl).request("POST", "/api/user/auth/password-reset", { body: { email } });
  await eventually(() => expect(server.mailer.sent).toHaveLength(1));
  const token = new URL(/(http\S+)/.exec(server.mailer.sent[0]?.text ?? "")?.[1] ?? "").searchParams.get("token");
  secrets.add(token ?? "");
  const confirmed = await new Browser(server.baseUrl).request("POST", "/api/user/auth/password-reset/confirm", {
    body: { token, newPassword: resetPassword },
  });
  expect(confirmed.status).toBe(200);

  const c = new Browser(server.baseUrl);
  expect((await c.login("user", email, resetPassword)).status).toBe(200);
  await remember(c);
  expect(
    (await admin.request("POST", `/api/admin/principals/${userId}/sessions/revoke-all`, { realm: "admin" })).status,
  ).toBe(200);
  expect((await admin.request("POST", `/api/admin/principals/${userId}/disable`, { realm: "admin" })).status).toBe(200);
  expect((await admin.request("POST", `/api/admin/principals/${userId}/enable`, { realm: "admin" })).status).toBe(200);
  await runCleanup(server.ctx, { trigger: "cli" });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe("audit log table", () => {
  it("holds an event for each lifecycle action, with realm, principal, actor, IP and hashed session id", async () => {
    const { rows } = await tableDump();
    const types = new Set(rows.map((r) => r.type));
    for (const type of [
      "login_failed",
      "login_succeeded",
      "logout",
      "session_revoked",
      "password_changed",
      "password_reset_requested",
      "password_reset_completed",
      "account_disabled",
      "account_enabled",
      "cleanup_ran",
    ]) {
      expect(types, type).toContain(type);
    }
    const revokedByAdmin = rows.filter((r) => r.type === "session_revoked" && r.actor?.startsWith("admin:"));
    expect(revokedByAdmin.length).toBeGreaterThan(0);
    const own = rows.find((r) => r.type === "session_revoked" && r.actor === `user:${userId}`);
    expect(own).toMatchObject({ realm: "user", principal_id: userId, ip: "127.0.0.1" });
    expect(own.session_id_hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it("holds no token, secret, CSRF token or password anywhere", async () => {
    const { text } = await tableDump();
    expect(secrets.size).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(10);
      expect(text.includes(secret), "a secret reached the audit table").toBe(false);
    }
  });

  it("is append-only: the database refuses updates and deletes", async () => {
    await expect(server.ctx.database.db.execute(sql`update audit_events set type = 'x'`)).rejects.toThrow();
    await expect(server.ctx.database.db.execute(sql`delete from audit_events`)).rejects.toThrow();
    expect((await tableDump()).rows.length).toBeGreaterThan(10);
  });
});

describe("GET /api/admin/audit", () => {
  it("filters by realm, principal, type and time range", async () => {
    const byPrincipal = await admin.request("GET", `/api/admin/audit?principalId=${userId}&limit=200`);
    expect(byPrincipal.status).toBe(200);
    expect(byPrincipal.body.events.length).toBeGreaterThan(5);
    expect(byPrincipal.body.events.every((e: any) => e.principalId === userId)).toBe(true);
    const types = await admin.request("GET", "/api/admin/audit?type=account_disabled,account_enabled");
    expect(types.body.events.map((e: any) => e.type)).toEqual(["account_enabled", "account_disabled"]);
    const adminRealm = await admin.request("GET", "/api/admin/audit?realm=admin");
    expect(adminRealm.body.events.length).toBeGreaterThan(0);
    expect(adminRealm.body.events.every((e: any) => e.realm === "admin")).toBe(true);
    const future = await admin.request("GET", "/api/admin/audit?from=2999-01-01T00:00:00Z");
    expect(future.body.events).toEqual([]);
    const past = await admin.request("GET", "/api/admin/audit?to=2000-01-01T00:00:00Z");
    expect(past.body.events).toEqual([]);
    const now = await admin.request("GET", `/api/admin/audit?from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z`);
    expect(now.body.events.length).toBeGreaterThan(0);
  });

  it("pages with a cursor: every event once, newest first; a forged cursor is refused", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page: any = await admin.request("GET", `/api/admin/audit?limit=3${query}`);
      expect(page.status).toBe(200);
      expect(page.body.events.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.events.map((e: any) => e.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    const total = (await tableDump()).rows.length;
    // Reading the audit log adds no events, so the walk sees them all, once each, in descending order.
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect([...seen].map(Number)).toEqual([...seen].map(Number).sort((x, y) => y - x));
    const forged = await admin.request("GET", "/api/admin/audit?cursor=bm90LWEtY3Vyc29y");
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe("invalid_cursor");
  });

  it("exports CSV with the same filters, neutralising spreadsheet formulas", async () => {
    const evil = new Browser(server.baseUrl);
    await evil.request("POST", "/api/user/auth/login", {
      body: { email: "nobody@example.com", password: "whatever password" },
      headers: { "user-agent": '=HYPERLINK("http://evil.example","x")' },
    });
    const csv = await admin.request("GET", "/api/admin/audit.csv?type=login_failed");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/attachment/);
    const lines = (csv.body as string).trim().split("\r\n");
    expect(lines[0]).toBe(
      '"id","occurred_at","type","realm","principal_id","actor","ip","user_agent","session_id_hash","details"',
    );
    expect(lines.slice(1).every((l) => l.split(",")[2] === '"login_failed"')).toBe(true);
    expect(lines.length).toBe(3);
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv.body).not.toMatch(/,"?=HYPERLINK/);
    // Every cell quoted, empty ones included: no cell is left for a reader to split or evaluate.
    for (const line of lines) expect(line).toMatch(/^"([^"]|"")*"(,"([^"]|"")*")*$/);
  });

  it("quotes every cell and neutralises formula triggers at the start or after a separator", () => {
    const cases: [unknown, string][] = [
      ["plain", '"plain"'],
      [null, '""'],
      [42, '"42"'],
      ["=cmd()", `"'=cmd()"`],
      ["+1", `"'+1"`],
      ["-1", `"'-1"`],
      ["@SUM(A1)", `"'@SUM(A1)"`],
      ["\t=cmd()", `"'\t=cmd()"`],
      ["\r=cmd()", `"'\r=cmd()"`],
      ["a;=cmd()", `"'a;=cmd()"`],
      ["a,+cmd()", `"'a,+cmd()"`],
      ["a; @cmd()", `"'a; @cmd()"`],
      ["line\n=cmd()", `"'line\n=cmd()"`],
      ['say "hi"', '"say ""hi"""'],
      ["a=b, c-d", '"a=b, c-d"'],
      [{ email: "=x@example.com" }, '"{""email"":""=x@example.com""}"'],
    ];
    for (const [value, expected] of cases) expect(csvCell(value), JSON.stringify(value)).toBe(expected);
  });
});
