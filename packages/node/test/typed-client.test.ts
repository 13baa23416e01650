import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tour } from "../../../examples/typed-client/tour.ts";
import { Browser } from "../../server/test/support/browser.ts";
import { createTestDatabase, type TestDatabase } from "../../server/test/support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "../../server/test/support/test-server.ts";
import { createGatehouseNodeClient } from "../src/client.ts";

const password = "typed client password 1";
let db: TestDatabase;
let gatehouse: TestServer;
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  gatehouse = await startTestServer({ database: db.database });
});
afterAll(async () => {
  await gatehouse?.close();
  await db?.drop();
});

async function account(realm: "user" | "admin" = "user") {
  n += 1;
  const email = `typed-${n}@example.com`;
  const principal = await createAccount(gatehouse.ctx, realm, email, password);
  return { email, principal };
}

/** A fetch that records the method and path of every request the client makes. */
function recordingFetch() {
  const seen: string[] = [];
  const wrapped = (async (input: Request) => {
    seen.push(`${input.method} ${new URL(input.url).pathname}`);
    return fetch(input);
  }) as typeof fetch;
  return { seen, fetch: wrapped };
}

describe("the typed Node client (@gatehouse/node/client over @gatehouse/client's generated types)", () => {
  it("runs examples/typed-client: signs in, reads the session, lists sessions, signs others out, signs out", async () => {
    const { email, principal } = await account();
    // Two other devices, which "sign out other devices" ends.
    for (let i = 0; i < 2; i++)
      expect((await new Browser(gatehouse.baseUrl).login("user", email, password)).status).toBe(200);
    const result = await tour(gatehouse.baseUrl, email, password);
    expect(result.principal).toMatchObject({ id: principal.id, email, realm: "user" });
    expect(result.session.realm).toBe("user");
    expect(result.sessions).toHaveLength(3);
    expect(result.sessions.filter((s) => s.current).map((s) => s.id)).toEqual([result.session.id]);
    expect(result.revokedOthers).toBe(2);
    expect(result.signOutStatus).toBe(204);
    expect(result.afterSignOut).toBe("not_authenticated");
  });

  it("refreshes a stale CSRF token once, single-flight, and retries the refused request once", async () => {
    const { email } = await account();
    const recorder = recordingFetch();
    const client = createGatehouseNodeClient({ baseUrl: gatehouse.baseUrl, fetch: recorder.fetch });
    expect((await client.api.POST("/api/user/auth/login", { body: { email, password } })).response.status).toBe(200);
    const fresh = client.csrfTokens.get("user");
    client.csrfTokens.set("user", "stale-token");
    recorder.seen.length = 0;
    const [a, b] = await Promise.all([
      client.api.POST("/api/user/sessions/revoke-others"),
      client.api.POST("/api/user/sessions/revoke-others"),
    ]);
    expect(a.data?.revokedSessions).toBe(0);
    expect(b.data?.revokedSessions).toBe(0);
    expect(recorder.seen.filter((r) => r === "GET /api/user/auth/session")).toHaveLength(1);
    expect(recorder.seen.filter((r) => r === "POST /api/user/sessions/revoke-others")).toHaveLength(4);
    expect(client.csrfTokens.get("user")).toBe(fresh);
  });

  it("keeps realms apart: signing out of the user realm leaves the admin session and its token", async () => {
    const user = await account("user");
    const admin = await account("admin");
    const client = createGatehouseNodeClient({ baseUrl: gatehouse.baseUrl });
    await client.api.POST("/api/user/auth/login", { body: { email: user.email, password } });
    await client.api.POST("/api/admin/auth/login", { body: { email: admin.email, password } });
    expect([...client.csrfTokens.keys()].sort()).toEqual(["admin", "user"]);
    expect((await client.api.POST("/api/user/auth/logout")).response.status).toBe(204);
    expect(client.csrfTokens.has("user")).toBe(false);
    expect([...client.cookies.keys()]).toEqual(["__Host-admin_session"]);
    const adminSession = await client.api.GET("/api/admin/auth/session");
    expect(adminSession.data?.principal.email).toBe(admin.email);
    expect((await client.api.GET("/api/user/auth/session")).error?.error.code).toBe("not_authenticated");
  });
});
