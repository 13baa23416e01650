import { describe, expect, it } from "vitest";
import { defaultRealmPolicies, hashSessionId, parseToken } from "../src/index.ts";
import { makeCore } from "./helpers.ts";

const principalId = "00000000-0000-4000-8000-000000000001";
const context = { ip: "198.51.100.7", userAgent: "test" };

describe("session tokens", () => {
  it("are <id>.<secret> with a 256-bit secret, and only a hash of the secret is stored", async () => {
    const { sessions, store } = makeCore();
    const { token, session } = await sessions.create("user", principalId, context);
    const parsed = parseToken(token);
    expect(parsed).not.toBeNull();
    expect(Buffer.from(parsed?.secret ?? "", "base64url")).toHaveLength(32);
    const stored = await store.findById(session.id);
    expect(JSON.stringify(stored)).not.toContain(parsed?.secret);
  });

  it("refuse a token whose secret differs in one character", async () => {
    const { sessions } = makeCore();
    const { token } = await sessions.create("user", principalId, context);
    const last = token.at(-1) === "A" ? "B" : "A";
    expect(await sessions.validate("user", token.slice(0, -1) + last)).toEqual({ ok: false, reason: "unknown" });
  });

  it("are never adopted in another realm", async () => {
    const { sessions } = makeCore();
    const { token } = await sessions.create("user", principalId, context);
    expect(await sessions.validate("admin", token)).toEqual({ ok: false, reason: "unknown" });
  });

  it("reject malformed and missing tokens before any lookup", async () => {
    const { sessions } = makeCore();
    for (const bad of ["x", "a.b", `${"a".repeat(22)}.${"b".repeat(42)}!`, "\u0000", "é".repeat(66)]) {
      expect(await sessions.validate("user", bad)).toEqual({ ok: false, reason: "malformed" });
    }
    expect(await sessions.validate("user", undefined)).toEqual({ ok: false, reason: "missing" });
  });

  it("hash session ids for audit without revealing them", () => {
    expect(hashSessionId("abc")).not.toContain("abc");
    expect(hashSessionId("abc")).toBe(hashSessionId("abc"));
  });
});

describe("rotation and revocation", () => {
  it("rotation issues a new token, kills the old one and keeps the absolute deadline", async () => {
    const { sessions, clock } = makeCore();
    const created = await sessions.create("user", principalId, context);
    clock.advance({ hours: 1 });
    const rotated = await sessions.rotate(created.session);
    expect(rotated).not.toBeNull();
    expect(rotated?.token).not.toBe(created.token);
    expect(rotated?.session.expiresAt).toEqual(created.session.expiresAt);
    expect((await sessions.validate("user", created.token)).ok).toBe(false);
    expect((await sessions.validate("user", rotated?.token)).ok).toBe(true);
  });

  it("revoking all of a principal's sessions in one realm leaves the other realm alone", async () => {
    const { sessions } = makeCore();
    const a = await sessions.create("user", principalId, context);
    const b = await sessions.create("user", principalId, context);
    const admin = await sessions.create("admin", principalId, context);
    const ended = await sessions.revokeAllForPrincipal("user", principalId, { exceptId: b.session.id });
    expect(ended).toEqual([a.session.id]);
    expect((await sessions.validate("user", b.token)).ok).toBe(true);
    expect((await sessions.validate("admin", admin.token)).ok).toBe(true);
  });

  it("a sign-in beyond the realm's limit ends the oldest session", async () => {
    const { sessions, clock } = makeCore();
    const limit = defaultRealmPolicies.admin.maxSessionsPerPrincipal;
    const created = [];
    for (let i = 0; i < limit; i++) {
      created.push(await sessions.create("admin", principalId, context));
      clock.advance({ seconds: 1 });
    }
    const extra = await sessions.create("admin", principalId, context);
    expect(extra.evictedSessionIds).toEqual([created[0]?.session.id]);
    expect((await sessions.validate("admin", created[0]?.token)).ok).toBe(false);
    expect((await sessions.validate("admin", created[1]?.token)).ok).toBe(true);
    expect(await sessions.listForPrincipal("admin", principalId)).toHaveLength(limit);
  });
});
