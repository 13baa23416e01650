import { describe, expect, it } from "vitest";
import type { OtpCodeRecord, OtpStore } from "../otp-store.ts";

const t0 = new Date("2026-03-01T10:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function code(overrides: Partial<OtpCodeRecord> = {}): OtpCodeRecord {
  return {
    realm: "user",
    principalId: crypto.randomUUID(),
    codeHash: "c0de".repeat(16),
    createdAt: t0,
    expiresAt: at(600),
    attemptsLeft: 3,
    ...overrides,
  };
}

/**
 * The behaviour every OtpStore must have. Run against memory, PGlite and PostgreSQL.
 * `makeStore(principalIds)` must give a store in which those principals exist (foreign keys).
 */
export function otpStoreContract(name: string, makeStore: (principalIds: string[]) => Promise<OtpStore>): void {
  describe(`OtpStore contract: ${name}`, () => {
    it("spends a matching live code once", async () => {
      const record = code();
      const store = await makeStore([record.principalId]);
      expect(await store.issue(record, at(-60))).toBe(true);
      expect(await store.consume("user", record.principalId, record.codeHash, at(1))).toBe("ok");
      expect(await store.consume("user", record.principalId, record.codeHash, at(2))).toBe("none");
    });

    it("lets exactly one of 20 parallel consumes of one code win", async () => {
      const record = code();
      const store = await makeStore([record.principalId]);
      await store.issue(record, at(-60));
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.consume("user", record.principalId, record.codeHash, at(1))),
      );
      expect(results.filter((r) => r === "ok")).toHaveLength(1);
    });

    it("refuses an expired code", async () => {
      const record = code();
      const store = await makeStore([record.principalId]);
      await store.issue(record, at(-60));
      expect(await store.consume("user", record.principalId, record.codeHash, at(600))).toBe("none");
    });

    it("kills a code after its wrong attempts, even against the right code next", async () => {
      const record = code({ attemptsLeft: 3 });
      const store = await makeStore([record.principalId]);
      await store.issue(record, at(-60));
      for (let i = 0; i < 3; i++)
        expect(await store.consume("user", record.principalId, "bad", at(1))).toBe("mismatch");
      expect(await store.consume("user", record.principalId, record.codeHash, at(1))).toBe("none");
    });

    it("counts parallel wrong attempts exactly", async () => {
      const record = code({ attemptsLeft: 5 });
      const store = await makeStore([record.principalId]);
      await store.issue(record, at(-60));
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.consume("user", record.principalId, "bad", at(1))),
      );
      expect(results.filter((r) => r === "mismatch")).toHaveLength(5);
      expect(await store.consume("user", record.principalId, record.codeHash, at(1))).toBe("none");
    });

    it("compares at most `attemptsLeft` of many parallel guesses, the right one among them included", async () => {
      const record = code({ attemptsLeft: 5 });
      const store = await makeStore([record.principalId]);
      await store.issue(record, at(-60));
      const guesses = Array.from({ length: 40 }, (_, i) => (i === 39 ? record.codeHash : `bad-${i}`));
      const results = await Promise.all(guesses.map((hash) => store.consume("user", record.principalId, hash, at(1))));
      expect(results.filter((r) => r !== "none")).toHaveLength(5);
      // Issued last, the right guess comes after five wrong ones: the code is dead by then.
      expect(results[39]).toBe("none");
    });

    it("refuses a resend inside the cooldown and replaces the code after it", async () => {
      const first = code();
      const store = await makeStore([first.principalId]);
      await store.issue(first, at(-60));
      const second = code({ principalId: first.principalId, codeHash: "5ec0".repeat(16), createdAt: at(30) });
      expect(await store.issue(second, at(-30))).toBe(false);
      expect(await store.issue({ ...second, createdAt: at(60) }, at(0))).toBe(true);
      expect(await store.consume("user", first.principalId, first.codeHash, at(61))).toBe("mismatch");
      expect(await store.consume("user", first.principalId, second.codeHash, at(61))).toBe("ok");
    });

    it("keeps realms and principals apart", async () => {
      const a = code();
      const b = code({ codeHash: "beef".repeat(16) });
      const store = await makeStore([a.principalId, b.principalId]);
      await store.issue(a, at(-60));
      await store.issue(b, at(-60));
      expect(await store.consume("admin", a.principalId, a.codeHash, at(1))).toBe("none");
      expect(await store.consume("user", b.principalId, a.codeHash, at(1))).toBe("mismatch");
      expect(await store.consume("user", a.principalId, a.codeHash, at(1))).toBe("ok");
    });
  });
}
