import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { selectRows } from "./support/sql.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

const password = "token at rest password";
let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
  await createAccount(server.ctx, "user", "rest@example.com", password);
  await createAccount(server.ctx, "admin", "rest@example.com", password);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** Every row of every table (ours and drizzle's migration log), as one string. */
async function dumpDatabase(): Promise<string> {
  const rows = await selectRows<{ table_schema: string; table_name: string }>(
    server.ctx.database,
    sql`select table_schema, table_name from information_schema.tables
        where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE'`,
  );
  let dump = "";
  for (const { table_schema, table_name } of rows) {
    const content = await selectRows(
      server.ctx.database,
      sql`select * from ${sql.identifier(table_schema)}.${sql.identifier(table_name)}`,
    );
    dump += `${table_schema}.${table_name}\n${JSON.stringify(content)}\n`;
  }
  return dump;
}

describe("tokens at rest", () => {
  it("no issued token, secret or password appears in the database or in the server's log", async () => {
    const issued: string[] = [];
    for (let i = 0; i < 3; i++) {
      for (const realm of ["user", "admin"]) {
        const browser = new Browser(server.baseUrl);
        await browser.login(realm, "rest@example.com", password);
        const token = await browser.cookie(`__Host-${realm}_session`);
        expect(token).toMatch(/^[\w-]{22}\.[\w-]{43}$/);
        issued.push(token as string);
        expect((await browser.session(realm)).status).toBe(200);
        if (i === 2) await browser.logout(realm);
      }
    }
    const dump = await dumpDatabase();
    expect(dump).toContain("sessions");
    const logs = server.logs.join("\n");
    expect(logs.length).toBeGreaterThan(0);
    for (const token of issued) {
      const secret = token.split(".")[1] as string;
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(secret);
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(secret);
    }
    expect(dump).not.toContain(password);
    expect(logs).not.toContain(password);
  });

  it("a token pasted into the URL path never reaches the request log", async () => {
    const browser = new Browser(server.baseUrl);
    await browser.login("user", "rest@example.com", password);
    const token = (await browser.cookie("__Host-user_session")) as string;
    const [id, secret] = token.split(".") as [string, string];
    const paths = [
      `/api/user/sessions/${token}`,
      `/${token}`,
      `/api/user/auth/session/${token}/more`,
      `/api/user/nothing/prefix-${token}-suffix`,
      `/api/user/sessions/${id}%2E${secret}`,
      `/api/user/sessions/${id}%2e${secret}`,
    ];
    const before = server.logs.length;
    for (const path of paths) {
      for (const method of ["GET", "DELETE"]) await browser.request(method, path, { realm: "user" });
    }
    const logs = server.logs.slice(before).join("\n");
    expect(logs).toContain('"path":"/api/user/sessions/[token]"');
    expect(logs).toContain('"path":"/api/user/auth/session/[token]/more"');
    expect(logs).not.toContain(secret);
  });

  it("the session table holds a SHA-256 hash where the secret would be", async () => {
    const rows = await selectRows<{ secret_hash: string }>(server.ctx.database, sql`select secret_hash from sessions`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
