import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Database, openDatabase } from "../src/db/database.ts";
import { loggable } from "../src/http/loggable.ts";
import { Browser } from "./support/browser.ts";
import { eventually } from "./support/eventually.ts";
import { createTestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * Failure paths log the error for the operator, never the email or token the failed query carried.
 * The database is broken as in database-unreachable.test.ts: a URL whose port nothing listens on.
 */

const email = "leaky.person@example.com";
const password = "leaky person password 1";
const cleanups: (() => Promise<void>)[] = [];
async function unreachableDatabase(): Promise<Database> {
  const database = await openDatabase({ databaseUrl: "postgres://postgres@127.0.0.1:1/x", poolSize: 2 });
  cleanups.push(() => database.close());
  return database;
}

/** Everything on a database nobody listens for. */
let unreachable: TestServer;
/** A working database, but the audit table on one nobody listens for. */
let auditUnreachable: TestServer;
// Set up in hooks (not the tests): a PGlite start on a busy machine must not eat a test's timeout.
beforeAll(async () => {
  unreachable = await startTestServer({ database: await unreachableDatabase() });
  cleanups.push(() => unreachable.close());
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  auditUnreachable = await startTestServer({
    database: db.database,
    auditTable: true,
    auditDatabase: await unreachableDatabase(),
  });
  cleanups.push(() => auditUnreachable.close());
  await createAccount(auditUnreachable.ctx, "user", email, password);
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function expectLoggedWithout(server: TestServer, message: string, secrets: string[]) {
  const line = await eventually(() => {
    const found = server.logs.find((l) => l.includes(`"msg":"${message}"`));
    expect(found).toBeDefined();
    return found as string;
  });
  expect(line).toContain('"err":{'); // the error itself is still there for the operator
  const logs = server.logs.join("");
  for (const secret of secrets) expect(logs).not.toContain(secret);
}

describe("error logs carry no email or token", () => {
  it("reset and one-time-code requests with the database unreachable", async () => {
    const server = unreachable;
    // The throttle answers, so the request gets past it and fails in the background lookup.
    vi.spyOn(server.ctx.abuse.throttle, "attempt").mockImplementation((_action, _scope, _subject, _captcha, run) =>
      run(),
    );
    vi.spyOn(server.ctx.abuse.throttle, "limitRate").mockResolvedValue();
    const browser = new Browser(server.baseUrl);

    expect((await browser.request("POST", "/api/user/auth/password-reset", { body: { email } })).status).toBe(202);
    await expectLoggedWithout(server, "password reset request failed", [email, email.split("@")[0] as string]);

    expect((await browser.request("POST", "/api/user/auth/otp/request", { body: { email } })).status).toBe(202);
    await expectLoggedWithout(server, "could not issue or send a one-time code", [email]);
  });

  it("audited actions with the audit table unreachable", async () => {
    const server = auditUnreachable;
    const browser = new Browser(server.baseUrl);

    // login_failed carries the email in its details; recording it fails, the answer does not.
    expect((await browser.login("user", email, "wrong password 123456")).status).toBe(401);
    await expectLoggedWithout(server, "could not record security event", [email]);

    // password_reset_requested carries the email; the reset link (and its token) still goes out.
    expect((await browser.request("POST", "/api/user/auth/password-reset", { body: { email } })).status).toBe(202);
    const mail = await eventually(() => {
      expect(server.mailer.sent).toHaveLength(1);
      return server.mailer.sent[0]?.text ?? "";
    });
    const token = new URL(/https?:\S+/.exec(mail)?.[0] ?? "").searchParams.get("token") ?? "";
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(server.logs.filter((l) => l.includes("could not record security event")).length).toBeGreaterThan(1);
    expect(server.logs.join("")).not.toContain(token);
    await expectLoggedWithout(server, "could not record security event", [email]);
  });

  it("scrubs emails and tokens quoted in any error message, however deep the cause", () => {
    const token = `${"A".repeat(22)}.${"b".repeat(43)}`;
    const mailError = new Error(`550 5.1.1 <${email}>: recipient rejected; link token ${token}`);
    const logged = JSON.stringify(loggable(new Error("send failed", { cause: mailError })));
    expect(logged).toContain("recipient rejected");
    expect(logged).not.toContain(email);
    expect(logged).not.toContain("b".repeat(43));
    expect(JSON.stringify(loggable(`thrown string ${email}`))).not.toContain(email);
  });
});
