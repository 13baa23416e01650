import { describe, expect, it } from "vitest";
import type { ThrottleStore } from "../throttle-store.ts";

const t0 = new Date("2026-03-01T10:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const uniqueKey = (name: string) => `contract:${name}:${crypto.randomUUID()}`;

/** The behaviour every ThrottleStore must have. Run against memory, PGlite, PostgreSQL and Redis. */
export function throttleStoreContract(name: string, makeStore: () => Promise<ThrottleStore>): void {
  describe(`ThrottleStore contract: ${name}`, () => {
    it("counts hits and reports the last one", async () => {
      const store = await makeStore();
      const key = uniqueKey("count");
      expect(await store.peek(key, t0)).toBeNull();
      expect(await store.hit(key, at(0), 60)).toEqual({ count: 1, lastAt: at(0) });
      expect(await store.hit(key, at(10), 60)).toEqual({ count: 2, lastAt: at(10) });
      expect(await store.peek(key, at(20))).toEqual({ count: 2, lastAt: at(10) });
    });

    it("starts over after a quiet window, on the caller's clock", async () => {
      const store = await makeStore();
      const key = uniqueKey("window");
      await store.hit(key, at(0), 60);
      await store.hit(key, at(50), 60);
      expect((await store.peek(key, at(109)))?.count).toBe(2);
      expect(await store.peek(key, at(110))).toBeNull();
      expect(await store.hit(key, at(110), 60)).toEqual({ count: 1, lastAt: at(110) });
    });

    it("keeps keys apart", async () => {
      const store = await makeStore();
      const a = uniqueKey("a");
      const b = uniqueKey("b");
      await store.hit(a, t0, 60);
      await store.hit(a, t0, 60);
      expect(await store.hit(b, t0, 60)).toMatchObject({ count: 1 });
    });

    it("loses no hit under 50 parallel hits", async () => {
      const store = await makeStore();
      const key = uniqueKey("parallel");
      const results = await Promise.all(Array.from({ length: 50 }, () => store.hit(key, t0, 60)));
      expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect((await store.peek(key, t0))?.count).toBe(50);
    });

    it("claimOnce lets exactly one of 20 parallel claims win, until the claim expires", async () => {
      const store = await makeStore();
      const key = uniqueKey("claim");
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claimOnce(key, t0, at(300))));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.claimOnce(key, at(299), at(600))).toBe(false);
      expect(await store.claimOnce(key, at(300), at(600))).toBe(true);
      expect(await store.claimOnce(uniqueKey("other"), t0, at(300))).toBe(true);
    });
  });
}
