import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { cliMeta } from "../../src/app/request-meta.ts";
import { Browser } from "./browser.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";
import { startTestServer, type TestServer } from "./test-server.ts";

export const password = "Chama-Test-Password-42!";

export interface ChamaWorld {
  db: TestDatabase;
  server: TestServer;
  /** A new user account, signed in in its own browser. */
  user(name: string): Promise<Browser & { principalId: string; email: string }>;
  /** A signed-in admin (the admin realm). */
  admin(name: string): Promise<Browser & { principalId: string }>;
  close(): Promise<void>;
}

export async function startChamaWorld(
  options: Parameters<typeof startTestServer>[0] extends infer O ? Partial<O> : never = {},
): Promise<ChamaWorld> {
  const db = await createTestDatabase();
  const server = await startTestServer({ database: db.database, ...options });
  const signIn = async (realm: string, email: string) => {
    const principal = await server.ctx.auth.createPrincipal(realm, { email, password });
    // Admins hold what their roles grant: these are owners (a test narrows them through the resolver).
    if (realm === "admin") await server.ctx.useCases.roles.grantRoleByName(principal, "owner", "test", cliMeta);
    const browser = new Browser(server.baseUrl);
    const login = await browser.login(realm, email, password);
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    return Object.assign(browser, { principalId: principal.id, email });
  };
  return {
    db,
    server,
    user: (name) => signIn("user", `${name}-${randomUUID().slice(0, 8)}@example.com`),
    admin: (name) => signIn("admin", `${name}-${randomUUID().slice(0, 8)}@example.com`),
    close: async () => {
      await server.close();
      await db.drop();
    },
  };
}

/** Creates a chama through the API; its creator is the chairperson. */
export async function createChama(owner: Browser, body: Record<string, unknown> = {}) {
  const response = await owner.request("POST", "/api/chamas", {
    realm: "user",
    body: { name: `Chama ${randomUUID().slice(0, 6)}`, interestRate: 12, ...body },
  });
  if (response.status !== 201) throw new Error(`create chama: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string };
}

/** Adds a member by email through the API (as an officer). */
export async function addMember(officer: Browser, chamaId: string, email: string, role = "member") {
  const response = await officer.request("POST", `/api/chamas/${chamaId}/members`, {
    realm: "user",
    body: { email, role },
  });
  if (response.status !== 201) throw new Error(`invite: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string };
}

/** Adds `count` members straight into the tables (fast fixtures for the query-count tests). */
export async function addManyMembers(world: ChamaWorld, chamaId: string, count: number): Promise<void> {
  const now = new Date();
  for (let i = 0; i < count; i++) {
    const principal = await world.server.ctx.principals.insert({
      id: randomUUID(),
      realm: "user",
      email: `bulk-${randomUUID()}@example.com`,
      displayName: `Bulk ${i}`,
      passwordHash: "not-a-hash: this fixture never signs in",
      createdAt: now,
    });
    await world.db.database.db.execute(
      sql`insert into chama_members (id, chama_id, principal_id, role, joined_at) values (${randomUUID()}, ${chamaId}, ${principal.id}, 'member', ${now.toISOString()}::timestamptz)`,
    );
  }
  await world.db.database.db.execute(
    sql`update chamas set member_count = member_count + ${count}, version = version + 1 where id = ${chamaId}`,
  );
}

/** Records and approves a contribution of `amount` for the officer themselves. */
export async function fund(officer: Browser, chamaId: string, amount: string) {
  const recorded = await officer.request("POST", `/api/chamas/${chamaId}/contributions`, {
    realm: "user",
    body: { amount, date: "2026-01-15" },
  });
  if (recorded.status !== 201) throw new Error(`record: ${recorded.status} ${JSON.stringify(recorded.body)}`);
  const decided = await officer.request("POST", `/api/chamas/${chamaId}/contributions/decisions`, {
    realm: "user",
    body: { ids: [recorded.body.id], decision: "approve" },
  });
  if (decided.status !== 200) throw new Error(`approve: ${decided.status} ${JSON.stringify(decided.body)}`);
  return recorded.body as { id: string };
}
