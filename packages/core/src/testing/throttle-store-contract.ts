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

    it("removes the named counters only, saying how many existed", async () => {
      const store = await makeStore();
      const [a, b, never] = [uniqueKey("remove-a"), uniqueKey("remove-b"), uniqueKey("remove-never")];
      await store.hit(a, t0, 60);
      await store.reserve(b, t0, 60);
      const kept = uniqueKey("remove-kept");
      await store.hit(kept, t0, 60);
      expect(await store.remove([a, b, never])).toBe(2);
      expect(await store.peek(a, at(1))).toBeNull();
      expect(await store.peek(b, at(1))).toBeNull();
      expect(await store.hit(a, at(2), 60)).toEqual({ count: 1, lastAt: at(2) });
      expect(await store.peek(kept, at(1))).toEqual({ count: 1, lastAt: t0 });
      expect(await store.remove([])).toBe(0);
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

    it("reserve counts like hit and reports the event before it", async () => {
      const store = await makeStore();
      const key = uniqueKey("reserve");
      expect(await store.reserve(key, at(0), 60)).toEqual({
        admitted: true,
        count: 1,
        reservedAt: at(0),
        previousLastAt: null,
      });
      expect(await store.reserve(key, at(5), 60)).toEqual({
        admitted: true,
        count: 2,
        reservedAt: at(5),
        previousLastAt: at(0),
      });
      expect(await store.peek(key, at(6))).toEqual({ count: 2, lastAt: at(5) });
      expect((await store.reserve(key, at(65), 60)).count).toBe(1);
    });

    it("reserve behind a gate refuses without counting while the wait runs, and keeps the counter past it", async () => {
      const store = await makeStore();
      const key = uniqueKey("gate");
      const gate = { freeCount: 2, maxDelaySeconds: 100 };
      await store.reserve(key, at(0), 60, gate);
      await store.reserve(key, at(0), 60, gate);
      expect(await store.reserve(key, at(0.5), 60, gate)).toEqual({ admitted: false, count: 2, lastAt: at(0) });
      expect(await store.reserve(key, at(1), 60, gate)).toMatchObject({ admitted: true, count: 3 });
      expect(await store.reserve(key, at(2.9), 60, gate)).toMatchObject({ admitted: false, count: 3 });
      expect(await store.reserve(key, at(3), 60, gate)).toMatchObject({ admitted: true, count: 4 });
      // Count 4 imposes 4 s: the counter lives 60 s after that wait, not 60 s after the last event.
      expect((await store.peek(key, at(66)))?.count).toBe(4);
      expect(await store.peek(key, at(67))).toBeNull();
    });

    it("release behind a gate restores the expiry the counter had before the reservation", async () => {
      const store = await makeStore();
      const key = uniqueKey("release-gate");
      const gate = { freeCount: 1, maxDelaySeconds: 100 };
      await store.reserve(key, at(0), 60, gate);
      const late = await store.reserve(key, at(50), 60, gate);
      if (!late.admitted) throw new Error("not admitted");
      await store.release(key, late, 60, gate);
      // Count 1 imposes 1 s: the counter lives until 0 + 60 + 1, as if the reservation never happened.
      expect((await store.peek(key, at(60.9)))?.count).toBe(1);
      expect(await store.peek(key, at(61))).toBeNull();
    });

    it("a gate only ever holds back a counter at its free count, even when the caller's clock went back", async () => {
      const store = await makeStore();
      const key = uniqueKey("clock-back");
      const gate = { freeCount: 2, maxDelaySeconds: 100 };
      await store.reserve(key, at(10), 60, gate);
      expect(await store.reserve(key, at(5), 60, gate)).toMatchObject({ admitted: true, count: 2 });
      expect(await store.reserve(key, at(5), 60, gate)).toMatchObject({ admitted: false, count: 2 });
    });

    it("of 50 parallel reservations behind a gate, exactly the free ones are admitted", async () => {
      const store = await makeStore();
      const key = uniqueKey("parallel-gate");
      const gate = { freeCount: 5, maxDelaySeconds: 900 };
      const results = await Promise.all(Array.from({ length: 50 }, () => store.reserve(key, t0, 900, gate)));
      expect(results.filter((r) => r.admitted)).toHaveLength(5);
      expect((await store.peek(key, t0))?.count).toBe(5);
    });

    it("release gives one reservation back and restores the last event time if none came since", async () => {
      const store = await makeStore();
      const key = uniqueKey("release");
      await store.reserve(key, at(0), 60);
      const second = await store.reserve(key, at(10), 60);
      if (!second.admitted) throw new Error("not admitted");
      await store.release(key, second, 60);
      expect(await store.peek(key, at(11))).toEqual({ count: 1, lastAt: at(0) });
      const third = await store.reserve(key, at(20), 60);
      await store.reserve(key, at(21), 60);
      if (!third.admitted) throw new Error("not admitted");
      await store.release(key, third, 60);
      expect(await store.peek(key, at(22))).toEqual({ count: 2, lastAt: at(21) });
      const results = await Promise.all(Array.from({ length: 20 }, () => store.reserve(key, at(30), 60)));
      await Promise.all(results.map((r) => (r.admitted ? store.release(key, r, 60) : null)));
      expect((await store.peek(key, at(31)))?.count).toBe(2);
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
