import { describe, expect, it } from "vitest";
import type { ResetTokenRecord, ResetTokenStore } from "../reset-tokens.ts";

export interface ResetTokenFixture {
  store: ResetTokenStore;
  /** A principal the store may reference (SQL stores have a foreign key to principals). */
  createPrincipal(realm: string): Promise<string>;
}

const now = new Date("2026-05-01T10:00:00.000Z");
const inMinutes = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

function record(principalId: string, overrides: Partial<ResetTokenRecord> = {}): ResetTokenRecord {
  return {
    tokenHash: crypto.randomUUID().replaceAll("-", "").repeat(2),
    realm: "user",
    principalId,
    createdAt: now,
    expiresAt: inMinutes(30),
    ...overrides,
  };
}

/** The behaviour every ResetTokenStore must have. Run against memory, PGlite and PostgreSQL. */
export function resetTokenStoreContract(name: string, makeFixture: () => Promise<ResetTokenFixture>): void {
  describe(`ResetTokenStore contract: ${name}`, () => {
    it("consumes a token once, then never again", async () => {
      const { store, createPrincipal } = await makeFixture();
      const r = record(await createPrincipal("user"));
      await store.issue(r);
      expect(await store.consume("user", r.tokenHash, now)).toEqual(r);
      expect(await store.consume("user", r.tokenHash, now)).toBeNull();
    });

    it("refuses an unknown hash, a token of another realm and an expired token", async () => {
      const { store, createPrincipal } = await makeFixture();
      const r = record(await createPrincipal("user"));
      await store.issue(r);
      expect(await store.consume("user", "f".repeat(64), now)).toBeNull();
      expect(await store.consume("admin", r.tokenHash, now)).toBeNull();
      expect(await store.consume("user", r.tokenHash, inMinutes(30))).toBeNull();
    });

    it("accepts a token until just before its expiry", async () => {
      const { store, createPrincipal } = await makeFixture();
      const r = record(await createPrincipal("user"));
      await store.issue(r);
      expect(await store.consume("user", r.tokenHash, new Date(r.expiresAt.getTime() - 1))).not.toBeNull();
    });

    it("ends earlier tokens of the principal in that realm when a new one is issued", async () => {
      const { store, createPrincipal } = await makeFixture();
      const principalId = await createPrincipal("user");
      const otherId = await createPrincipal("user");
      const first = record(principalId);
      const other = record(otherId);
      await store.issue(first);
      await store.issue(other);
      const second = record(principalId);
      await store.issue(second);
      expect(await store.consume("user", first.tokenHash, now)).toBeNull();
      expect(await store.consume("user", second.tokenHash, now)).toEqual(second);
      expect(await store.consume("user", other.tokenHash, now)).toEqual(other);
    });

    it("deleteByPrincipal ends that principal's tokens in that realm only", async () => {
      const { store, createPrincipal } = await makeFixture();
      const userId = await createPrincipal("user");
      const adminId = await createPrincipal("admin");
      const mine = record(userId);
      const admins = record(adminId, { realm: "admin" });
      await store.issue(mine);
      await store.issue(admins);
      expect(await store.deleteByPrincipal("user", userId)).toBe(1);
      expect(await store.deleteByPrincipal("admin", userId)).toBe(0);
      expect(await store.consume("user", mine.tokenHash, now)).toBeNull();
      expect(await store.consume("admin", admins.tokenHash, now)).toEqual(admins);
    });

    it("lets exactly one of 20 parallel consumes win", async () => {
      const { store, createPrincipal } = await makeFixture();
      const r = record(await createPrincipal("user"));
      await store.issue(r);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.consume("user", r.tokenHash, now)));
      expect(results.filter((x) => x !== null)).toHaveLength(1);
    });
  });
}
