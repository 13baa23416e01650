import { isLive, type SessionRecord } from "@gatehouse/core";
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions } from "../src/db/schema/index.ts";
import { expiredSessions } from "../src/jobs/cleanup-targets.ts";
import { PgAdminQueries } from "../src/stores/pg-admin-queries.ts";
import { PgSessionStore } from "../src/stores/pg-session-store.ts";
import { sessionEndedAt, sessionLiveAt } from "../src/stores/session-liveness.ts";
import { createTestDatabase, onPostgres, type TestDatabase } from "./support/test-database.ts";

const principalId = "00000000-0000-4000-8000-000000000001";
const now = new Date("2026-05-01T12:00:00.000Z");
const at = (ms: number) => new Date(now.getTime() + ms);

let db: TestDatabase;
/** Every combination of each deadline 1 ms before, exactly at and 1 ms after `now`, plus far from it. */
const records: SessionRecord[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.database.db.execute(
    sql`insert into principals (id, realm, email, password_hash) values (${principalId}, 'user', 'live@example.com', 'x')`,
  );
  const offsets = [-86_400_000, -1, 0, 1, 86_400_000];
  for (const absolute of offsets) {
    for (const idle of offsets) {
      records.push({
        id: `s_${absolute}_${idle}`,
        realm: "user",
        principalId,
        secretHash: "x",
        createdAt: at(-90_000_000),
        lastActivityAt: at(-90_000_000),
        expiresAt: at(absolute),
        idleExpiresAt: at(idle),
        rememberMe: false,
        ip: null,
        userAgent: null,
        stage: "full",
        authenticatedAt: at(-90_000_000),
        rotationDue: false,
      });
    }
  }
  const store = new PgSessionStore(db.database.db);
  for (const record of records) await store.insert(record);
});
afterAll(async () => {
  await db?.drop();
});

const idsWhere = async (where: SQL) =>
  (await db.database.db.select({ id: sessions.id }).from(sessions).where(where)).map((r) => r.id).sort();

const name = onPostgres ? "PostgreSQL" : "PGlite";

describe(`session liveness in SQL agrees with core's isLive at the exact boundaries (${name})`, () => {
  const idsOf = (keep: (r: SessionRecord) => boolean) =>
    records
      .filter(keep)
      .map((r) => r.id)
      .sort();
  const live = () => idsOf((r) => isLive(r, now));
  const ended = () => idsOf((r) => !isLive(r, now));

  it("sessionLiveAt selects exactly the live sessions, sessionEndedAt exactly the others", async () => {
    expect(live()).toEqual(["s_1_1", "s_1_86400000", "s_86400000_1", "s_86400000_86400000"]);
    expect(await idsWhere(sessionLiveAt(now))).toEqual(live());
    expect(await idsWhere(sessionEndedAt(now))).toEqual(ended());
  });

  it("the admin list of active sessions shows exactly the live ones", async () => {
    const page = await new PgAdminQueries(db.database.db).listActiveSessions({ now }, { page: 1, pageSize: 100 });
    expect(page.count).toBe(live().length);
    expect(page.results.map((r) => r.session.id).sort()).toEqual(live());
  });

  it("cleanup counts and deletes exactly the sessions that are not live", async () => {
    expect(await expiredSessions.countExpired?.(db.database.db, now)).toBe(ended().length);
    expect(await expiredSessions.deleteBatch(db.database.db, now, 1_000)).toBe(ended().length);
    expect(await idsWhere(sql`true`)).toEqual(live());
  });
});
