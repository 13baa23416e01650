import { describe, expect, it } from "vitest";
import { isLive, passedDeadline } from "../src/index.ts";
import { makeCore } from "./helpers.ts";

const principalId = "00000000-0000-4000-8000-000000000001";
const context = { ip: null, userAgent: null };
const t0 = Date.parse("2026-03-01T08:00:00.000Z");
const at = (ms: number) => new Date(t0 + ms);

describe("isLive: the one definition of a live session", () => {
  it("is live until 1 ms before each deadline and over at the deadline itself", () => {
    const session = { expiresAt: at(10_000), idleExpiresAt: at(5_000) };
    expect(isLive(session, at(4_999))).toBe(true);
    expect(isLive(session, at(5_000))).toBe(false);
    expect(passedDeadline(session, at(5_000))).toBe("idle_timeout");

    const absoluteFirst = { expiresAt: at(5_000), idleExpiresAt: at(10_000) };
    expect(isLive(absoluteFirst, at(4_999))).toBe(true);
    expect(isLive(absoluteFirst, at(5_000))).toBe(false);
    expect(passedDeadline(absoluteFirst, at(5_000))).toBe("absolute_timeout");
  });

  it("reports the absolute deadline when both have passed", () => {
    expect(passedDeadline({ expiresAt: at(0), idleExpiresAt: at(0) }, at(0))).toBe("absolute_timeout");
    expect(passedDeadline({ expiresAt: at(1), idleExpiresAt: at(1) }, at(0))).toBeNull();
  });

  it("is what validate and listForPrincipal apply, at the exact idle boundary", async () => {
    const { sessions, clock } = makeCore();
    const { token, session } = await sessions.create("admin", principalId, context);
    clock.set(new Date(session.idleExpiresAt.getTime() - 1));
    expect(isLive(session, clock.now())).toBe(true);
    expect((await sessions.validate("admin", token, { passive: true })).ok).toBe(true);
    expect(await sessions.listForPrincipal("admin", principalId)).toHaveLength(1);

    clock.set(session.idleExpiresAt);
    expect(isLive(session, clock.now())).toBe(false);
    expect(await sessions.validate("admin", token, { passive: true })).toEqual({ ok: false, reason: "idle_timeout" });
    expect(await sessions.listForPrincipal("admin", principalId)).toEqual([]);
  });
});
