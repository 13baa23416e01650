import { describe, expect, it } from "vitest";
import type { SessionRecord, SessionStore } from "../session-store.ts";

let counter = 0;
function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  counter += 1;
  const createdAt = new Date(Date.UTC(2026, 0, 1, 0, 0, counter));
  return {
    id: `session-${counter}-${Math.random().toString(36).slice(2)}`,
    realm: "user",
    principalId: "00000000-0000-4000-8000-000000000001",
    secretHash: "ab".repeat(32),
    createdAt,
    lastActivityAt: createdAt,
    idleExpiresAt: new Date(createdAt.getTime() + 3_600_000),
    expiresAt: new Date(createdAt.getTime() + 86_400_000),
    rememberMe: false,
    ip: "203.0.113.9",
    userAgent: "Mozilla/5.0 (contract)",
    stage: "full",
    authenticatedAt: createdAt,
    rotationDue: false,
    ...overrides,
  };
}

/**
 * The behaviour every SessionStore must have. Run against memory, PGlite and PostgreSQL.
 * `makeStore` is called once per test and must give an empty, isolated store (or a fresh principal space).
 */
export function sessionStoreContract(name: string, makeStore: () => Promise<SessionStore>): void {
  describe(`SessionStore contract: ${name}`, () => {
    it("returns what was inserted, with dates intact", async () => {
      const store = await makeStore();
      const r = record();
      await store.insert(r);
      expect(await store.findById(r.id)).toEqual(r);
    });

    it("returns null for an unknown id", async () => {
      const store = await makeStore();
      expect(await store.findById("nope")).toBeNull();
    });

    it("touch moves activity and the idle deadline, nothing else", async () => {
      const store = await makeStore();
      const r = record();
      await store.insert(r);
      const update = {
        lastActivityAt: new Date(r.createdAt.getTime() + 5000),
        idleExpiresAt: new Date(r.createdAt.getTime() + 99_000),
      };
      await store.touch(r.id, update);
      expect(await store.findById(r.id)).toEqual({ ...r, ...update });
      await store.touch("missing", update);
    });

    it("replace swaps atomically and reports a missing old session", async () => {
      const store = await makeStore();
      const old = record();
      await store.insert(old);
      const next = record({ principalId: old.principalId });
      expect(await store.replace(old.id, next)).toBe(true);
      expect(await store.findById(old.id)).toBeNull();
      expect(await store.findById(next.id)).toEqual(next);
      expect(await store.replace(old.id, record())).toBe(false);
    });

    it("only one of 20 parallel replaces of one session wins", async () => {
      const store = await makeStore();
      const old = record();
      await store.insert(old);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.replace(old.id, record())));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("delete reports whether the session existed", async () => {
      const store = await makeStore();
      const r = record();
      await store.insert(r);
      expect(await store.delete(r.id)).toBe(true);
      expect(await store.delete(r.id)).toBe(false);
      expect(await store.findById(r.id)).toBeNull();
    });

    it("deleteByPrincipal ends one principal's sessions in one realm only", async () => {
      const store = await makeStore();
      const principalId = "00000000-0000-4000-8000-0000000000aa";
      const a = record({ principalId });
      const b = record({ principalId });
      const keep = record({ principalId });
      const otherRealm = record({ principalId, realm: "admin" });
      const otherPrincipal = record({ principalId: "00000000-0000-4000-8000-0000000000bb" });
      for (const r of [a, b, keep, otherRealm, otherPrincipal]) await store.insert(r);
      const ended = await store.deleteByPrincipal("user", principalId, { exceptId: keep.id });
      expect(ended.sort()).toEqual([a.id, b.id].sort());
      expect(await store.findById(keep.id)).not.toBeNull();
      expect(await store.findById(otherRealm.id)).not.toBeNull();
      expect(await store.findById(otherPrincipal.id)).not.toBeNull();
    });

    it("markAuthenticated records the proof time only, and reports a missing session", async () => {
      const store = await makeStore();
      const r = record({ stage: "second_factor" });
      await store.insert(r);
      const at = new Date(r.createdAt.getTime() + 60_000);
      expect(await store.markAuthenticated(r.id, at)).toBe(true);
      expect(await store.findById(r.id)).toEqual({ ...r, authenticatedAt: at });
      expect(await store.markAuthenticated("nope", at)).toBe(false);
    });

    it("flagRotation flags one principal's sessions in one realm only", async () => {
      const store = await makeStore();
      const principalId = "00000000-0000-4000-8000-0000000000aa";
      const mine = record({ principalId });
      const otherRealm = record({ principalId, realm: "admin" });
      const other = record();
      for (const r of [mine, otherRealm, other]) await store.insert(r);
      expect(await store.flagRotation("user", principalId)).toEqual([mine.id]);
      expect((await store.findById(mine.id))?.rotationDue).toBe(true);
      expect((await store.findById(otherRealm.id))?.rotationDue).toBe(false);
      expect((await store.findById(other.id))?.rotationDue).toBe(false);
    });

    it("lists one principal's sessions in one realm, newest first", async () => {
      const store = await makeStore();
      const principalId = "00000000-0000-4000-8000-0000000000cc";
      const first = record({ principalId });
      const second = record({ principalId });
      await store.insert(first);
      await store.insert(second);
      await store.insert(record({ principalId, realm: "admin" }));
      const listed = await store.listByPrincipal("user", principalId);
      expect(listed.map((s) => s.id)).toEqual([second.id, first.id]);
    });
  });
}
