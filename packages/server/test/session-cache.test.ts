import { FixedClock, type SessionRecord, type SessionStore } from "@gatehouse/core";
import { MemorySessionStore } from "@gatehouse/core/testing";
import { describe, expect, it } from "vitest";
import {
  CachingSessionStore,
  type InvalidationBus,
  localInvalidationBus,
} from "../src/stores/caching-session-store.ts";

const clock = new FixedClock("2026-08-01T10:00:00.000Z");
const later = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);

function record(id: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    realm: "user",
    principalId: "00000000-0000-4000-8000-000000000001",
    secretHash: "h".repeat(64),
    createdAt: clock.now(),
    lastActivityAt: clock.now(),
    idleExpiresAt: later(600),
    expiresAt: later(3600),
    rememberMe: false,
    ip: null,
    userAgent: null,
    stage: "full",
    authenticatedAt: clock.now(),
    rotationDue: false,
    ...overrides,
  };
}

/** Counts reads that reach the store, and can hold one read until released (to race it). */
class CountingStore extends MemorySessionStore {
  reads = 0;
  hold: Promise<void> | null = null;
  override async findById(id: string) {
    this.reads += 1;
    const found = await super.findById(id);
    if (this.hold) await this.hold;
    return found;
  }
}

function setup(bus: InvalidationBus = localInvalidationBus) {
  const inner = new CountingStore();
  const cache = new CachingSessionStore(inner as SessionStore, { clock, bus, maxEntries: 3 });
  return { inner, cache };
}

describe("the session validation cache", () => {
  it("serves repeated reads from memory, and a deleted session never again", async () => {
    const { inner, cache } = setup();
    await cache.insert(record("a"));
    await cache.findById("a");
    await cache.findById("a");
    expect(inner.reads).toBe(1);
    await cache.delete("a");
    expect(await cache.findById("a")).toBeNull();
  });

  it("drops every session a principal-wide revocation and a rotation end", async () => {
    const { cache } = setup();
    await cache.insert(record("a"));
    await cache.insert(record("b"));
    await cache.findById("a");
    await cache.findById("b");
    await cache.deleteByPrincipal("user", "00000000-0000-4000-8000-000000000001", { exceptId: "b" });
    expect(await cache.findById("a")).toBeNull();
    await cache.replace("b", record("c"));
    expect(await cache.findById("b")).toBeNull();
    expect((await cache.findById("c"))?.id).toBe("c");
  });

  it("does not put back a row whose read raced its revocation", async () => {
    const { inner, cache } = setup();
    await cache.insert(record("a"));
    let release = () => {};
    inner.hold = new Promise((resolve) => {
      release = resolve;
    });
    const racing = cache.findById("a"); // reads the row, then waits
    await new Promise((resolve) => setImmediate(resolve));
    await cache.delete("a");
    release();
    inner.hold = null;
    expect((await racing)?.id).toBe("a"); // concurrent with the revocation: may still see it
    expect(await cache.findById("a")).toBeNull(); // but it was not cached
  });

  it("re-reads an entry whose deadline passed instead of trusting it (another node may have moved it)", async () => {
    const { inner, cache } = setup();
    await cache.insert(record("a", { idleExpiresAt: later(10) }));
    await cache.findById("a");
    await inner.touch("a", { lastActivityAt: later(5), idleExpiresAt: later(100) }); // as another node would
    clock.advance({ seconds: 20 });
    expect((await cache.findById("a"))?.idleExpiresAt).toEqual(later(80));
    expect(inner.reads).toBe(2);
    clock.advance({ seconds: -20 });
  });

  it("keeps at most maxEntries sessions", async () => {
    const { cache } = setup();
    for (const id of ["a", "b", "c", "d", "e"]) {
      await cache.insert(record(id));
      await cache.findById(id);
    }
    expect(cache.size).toBe(3);
  });

  it("bypasses and forgets everything while the bus is not usable, and drops what other nodes revoke", async () => {
    let usable = true;
    let drop: (ids: readonly string[]) => void = () => {};
    const published: string[][] = [];
    const bus: InvalidationBus = {
      publish: async (ids) => {
        published.push([...ids]);
      },
      subscribe: (fn) => {
        drop = fn;
      },
      usable: () => usable,
      close: async () => {},
    };
    const { inner, cache } = setup(bus);
    await cache.insert(record("a"));
    await cache.findById("a");
    usable = false;
    await cache.findById("a");
    await cache.findById("a");
    expect(inner.reads).toBe(3);
    usable = true;
    await cache.findById("a");
    expect(inner.reads).toBe(4); // the cache was emptied when the bus failed
    await cache.findById("a");
    expect(inner.reads).toBe(4);
    drop(["a"]); // another node revoked it
    await cache.findById("a");
    expect(inner.reads).toBe(5);
    await cache.delete("a");
    expect(published).toEqual([["a"]]);
  });
});
