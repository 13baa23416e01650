import { describe, expect, it } from "vitest";
import { makeCore } from "./helpers.ts";

const principalId = "00000000-0000-4000-8000-000000000001";
const context = { ip: null, userAgent: null };
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

describe("admin realm timeouts", () => {
  // Idle 15 min, activity recorded at most every 90 s (10 %), so the deadline is 16.5 min after the
  // last recorded activity: never before 15 min of real inactivity, at most 10 % late.
  it("ends an untouched admin session exactly 16.5 minutes after sign-in, and not 1 ms before", async () => {
    const { sessions, clock } = makeCore();
    const { token } = await sessions.create("admin", principalId, context);
    clock.advance({ milliseconds: 16.5 * minute - 1 });
    expect((await sessions.validate("admin", token, { passive: true })).ok).toBe(true);
    clock.advance({ milliseconds: 1 });
    expect(await sessions.validate("admin", token, { passive: true })).toEqual({ ok: false, reason: "idle_timeout" });
  });

  it("never ends before 15 minutes of inactivity, whenever inside the interval the last request fell", async () => {
    const { sessions, clock } = makeCore();
    const { token } = await sessions.create("admin", principalId, context);
    clock.advance({ seconds: 89 }); // inside the 90 s interval: not written
    expect((await sessions.validate("admin", token)).ok).toBe(true);
    clock.advance({ milliseconds: 15 * minute - 1 }); // 15 min minus 1 ms after that real activity
    expect((await sessions.validate("admin", token, { passive: true })).ok).toBe(true);
  });

  it("activity extends the idle deadline", async () => {
    const { sessions, clock } = makeCore();
    const { token } = await sessions.create("admin", principalId, context);
    clock.advance({ minutes: 10 });
    const touched = await sessions.validate("admin", token);
    expect(touched.ok).toBe(true);
    clock.advance({ milliseconds: 16.5 * minute - 1 });
    expect((await sessions.validate("admin", token, { passive: true })).ok).toBe(true);
    clock.advance({ milliseconds: 1 });
    expect((await sessions.validate("admin", token, { passive: true })).ok).toBe(false);
  });

  it("a passive check does not count as activity", async () => {
    const { sessions, clock, store } = makeCore();
    const { token, session } = await sessions.create("admin", principalId, context);
    clock.advance({ minutes: 10 });
    expect((await sessions.validate("admin", token, { passive: true })).ok).toBe(true);
    expect((await store.findById(session.id))?.lastActivityAt).toEqual(session.lastActivityAt);
    clock.advance({ minutes: 6, seconds: 30 });
    expect(await sessions.validate("admin", token, { passive: true })).toEqual({ ok: false, reason: "idle_timeout" });
  });

  it("records activity at most once per interval", async () => {
    const { sessions, clock, store } = makeCore();
    const { token, session } = await sessions.create("admin", principalId, context);
    clock.advance({ seconds: 89 });
    await sessions.validate("admin", token);
    expect((await store.findById(session.id))?.lastActivityAt).toEqual(session.lastActivityAt);
    clock.advance({ seconds: 1 });
    await sessions.validate("admin", token);
    expect((await store.findById(session.id))?.lastActivityAt).toEqual(clock.now());
  });

  it("ends exactly 8 hours after sign-in however active the admin is", async () => {
    const { sessions, clock } = makeCore();
    const { token } = await sessions.create("admin", principalId, context);
    for (let i = 0; i < 47; i++) {
      clock.advance({ minutes: 10 });
      expect((await sessions.validate("admin", token)).ok).toBe(true);
    }
    clock.set(new Date("2026-03-01T08:00:00.000Z").getTime() + 8 * hour - 1);
    expect((await sessions.validate("admin", token)).ok).toBe(true);
    clock.advance({ milliseconds: 1 });
    expect(await sessions.validate("admin", token)).toEqual({ ok: false, reason: "absolute_timeout" });
  });

  it("ignores remember-me in the admin realm", async () => {
    const { sessions } = makeCore();
    const { session } = await sessions.create("admin", principalId, { ...context, rememberMe: true });
    expect(session.rememberMe).toBe(false);
    expect(session.expiresAt.getTime() - session.createdAt.getTime()).toBe(8 * hour);
  });
});

describe("user realm timeouts", () => {
  it("without remember-me the session ends exactly 24 hours after sign-in", async () => {
    const { sessions, clock } = makeCore();
    const { token } = await sessions.create("user", principalId, context);
    clock.advance({ milliseconds: day - 1 });
    expect((await sessions.validate("user", token)).ok).toBe(true);
    clock.advance({ milliseconds: 1 });
    expect(await sessions.validate("user", token)).toEqual({ ok: false, reason: "absolute_timeout" });
  });

  it("with remember-me the session ends exactly 30 days after sign-in when used daily", async () => {
    const { sessions, clock } = makeCore();
    const { token, session } = await sessions.create("user", principalId, { ...context, rememberMe: true });
    expect(session.rememberMe).toBe(true);
    for (let i = 0; i < 29; i++) {
      clock.advance({ days: 1 });
      expect((await sessions.validate("user", token)).ok).toBe(true);
    }
    clock.advance({ milliseconds: day - 1 });
    expect((await sessions.validate("user", token)).ok).toBe(true);
    clock.advance({ milliseconds: 1 });
    expect(await sessions.validate("user", token)).toEqual({ ok: false, reason: "absolute_timeout" });
  });

  it("with remember-me an unused session ends after 7 days idle (+10 %), not before", async () => {
    const { sessions, clock } = makeCore();
    const { token } = await sessions.create("user", principalId, { ...context, rememberMe: true });
    clock.advance({ milliseconds: 7.7 * day - 1 });
    expect((await sessions.validate("user", token, { passive: true })).ok).toBe(true);
    clock.advance({ milliseconds: 1 });
    expect(await sessions.validate("user", token, { passive: true })).toEqual({ ok: false, reason: "idle_timeout" });
  });
});
