import { afterEach, describe, expect, it, vi } from "vitest";
import {
  activityEvents,
  createActivityMonitor,
  createPublicClient,
  createRealmChannel,
  idlePhase,
  publicFetch,
  type RealmEvent,
  realmStorage,
  warningWindowMs,
} from "../src/index.ts";

/** A Storage over a Map (what a browser's localStorage is). */
class MapStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

afterEach(() => vi.unstubAllGlobals());

describe("publicFetch", () => {
  it("sends no credentials and no CSRF header", async () => {
    const sent: Request[] = [];
    vi.stubGlobal("fetch", async (request: Request) => {
      sent.push(request);
      return Response.json({});
    });
    await publicFetch("http://gatehouse.test/api/public/captcha", {
      credentials: "include",
      headers: { "X-CSRF-Token": "leak" },
    });
    await createPublicClient({ baseUrl: "http://gatehouse.test" }).GET("/api/public/otp-settings");
    expect(sent.map((r) => [new URL(r.url).pathname, r.credentials, r.headers.get("x-csrf-token")])).toEqual([
      ["/api/public/captcha", "omit", null],
      ["/api/public/otp-settings", "omit", null],
    ]);
  });

  it("refuses anything outside /api/public/", async () => {
    vi.stubGlobal("fetch", async () => Response.json({}));
    await expect(publicFetch("http://gatehouse.test/api/user/auth/session")).rejects.toThrow(/only calls/);
  });
});

describe("the activity monitor", () => {
  it("reports click, key, scroll and touch at most once per interval, and nothing after stop", () => {
    const target = new EventTarget();
    let now = 0;
    const beats: number[] = [];
    const monitor = createActivityMonitor({ target, onActivity: () => beats.push(now), now: () => now });
    for (const type of activityEvents) {
      target.dispatchEvent(new Event(type));
      now += 10_000;
    }
    target.dispatchEvent(new Event("mousemove"));
    now = 60_000;
    target.dispatchEvent(new Event("scroll"));
    now = 70_000;
    target.dispatchEvent(new Event("keydown"));
    now = 200_000;
    monitor.stop();
    target.dispatchEvent(new Event("click"));
    expect(beats).toEqual([0, 60_000]);
  });

  it("waits a full interval after a heartbeat sent elsewhere", () => {
    const target = new EventTarget();
    let now = 1_000_000;
    const beats: number[] = [];
    const monitor = createActivityMonitor({ target, onActivity: () => beats.push(now), now: () => now });
    monitor.markSent();
    now += 30_000;
    target.dispatchEvent(new Event("click"));
    now += 30_000;
    target.dispatchEvent(new Event("click"));
    expect(beats).toEqual([1_060_000]);
  });
});

describe("the realm channel", () => {
  it("carries login, logout and idle to other tabs of the same realm only", async () => {
    const adminA = createRealmChannel("admin", { tab: "a" });
    const adminB = createRealmChannel("admin", { tab: "b" });
    const user = createRealmChannel("user", { tab: "u" });
    const heard: Record<string, RealmEvent[]> = { a: [], b: [], u: [] };
    adminA.subscribe((e) => heard.a?.push(e));
    adminB.subscribe((e) => heard.b?.push(e));
    user.subscribe((e) => heard.u?.push(e));
    adminA.post("logout");
    adminA.post("idle");
    user.post("login", { idleExpiresAt: "2026-01-01T00:00:00.000Z" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard.b?.map((e) => e.type)).toEqual(["logout", "idle"]);
    expect(heard.a).toEqual([]);
    expect(heard.u).toEqual([]);
    for (const channel of [adminA, adminB, user]) channel.close();
  });

  it("drops a message that names another realm", async () => {
    const listener = createRealmChannel("admin", { tab: "a" });
    const heard: RealmEvent[] = [];
    listener.subscribe((e) => heard.push(e));
    const raw = new BroadcastChannel("gatehouse:realm:admin");
    raw.postMessage({ type: "logout", realm: "user", tab: "x" });
    raw.postMessage({ type: "logout", realm: "admin", tab: "x" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard.map((e) => e.realm)).toEqual(["admin"]);
    raw.close();
    listener.close();
  });
});

describe("realm storage", () => {
  it("keeps each realm's state under its own keys and clears only its own", () => {
    const storage = new MapStorage();
    storage.setItem("unrelated", "kept");
    const user = realmStorage("user", storage);
    const admin = realmStorage("admin", storage);
    user.set("returnTo", "/security");
    user.set("signedOutReason", "idle");
    admin.set("returnTo", "/admin/audit");
    expect(admin.get("returnTo")).toBe("/admin/audit");
    user.clear();
    expect(user.get("returnTo")).toBeNull();
    expect(user.get("signedOutReason")).toBeNull();
    expect(admin.get("returnTo")).toBe("/admin/audit");
    expect(storage.getItem("unrelated")).toBe("kept");
  });
});

describe("idle phases", () => {
  it("are active, then warning inside the window, then expired at the deadline", () => {
    const idleExpiresAt = new Date(100_000).toISOString();
    expect(idlePhase({ idleExpiresAt, now: 10_000, warningMs: 30_000 })).toEqual({ phase: "active", msLeft: 90_000 });
    expect(idlePhase({ idleExpiresAt, now: 80_000, warningMs: 30_000 })).toEqual({ phase: "warning", msLeft: 20_000 });
    expect(idlePhase({ idleExpiresAt, now: 100_000, warningMs: 30_000 })).toEqual({ phase: "expired", msLeft: 0 });
  });

  it("warn a minute ahead on long timeouts and a fifth ahead on short ones", () => {
    expect(warningWindowMs(900_000)).toBe(60_000);
    expect(warningWindowMs(10_000)).toBe(2_000);
  });
});
