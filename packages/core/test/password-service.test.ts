import { describe, expect, it } from "vitest";
import { GatehouseError, hashSecret, PasswordService, resetTokenLifetimeSeconds } from "../src/index.ts";
import { MemoryResetTokenStore } from "../src/testing/index.ts";
import { cryptoRandom, makeCore, plainHasher } from "./helpers.ts";

const context = { ip: null, userAgent: null };
const oldPassword = "old password 123456";
const newPassword = "new password 654321";

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof GatehouseError ? error.code : String(error);
}

function setup() {
  const core = makeCore();
  const resetTokens = new MemoryResetTokenStore();
  const passwords = new PasswordService({
    principals: core.principals,
    sessions: core.sessions,
    resetTokens,
    hasher: plainHasher,
    clock: core.clock,
    random: cryptoRandom,
  });
  return { ...core, resetTokens, passwords };
}

describe("PasswordService", () => {
  it("change: refuses a wrong current password and a weak new one, changing nothing", async () => {
    const { auth, passwords, principals } = setup();
    const p = await auth.createPrincipal("user", { email: "a@example.com", password: oldPassword });
    const { session } = await auth.login("user", { email: p.email, password: oldPassword }, context);
    expect(await codeOf(passwords.change(session, { currentPassword: "wrong password!!", newPassword }))).toBe(
      "invalid_credentials",
    );
    expect(await codeOf(passwords.change(session, { currentPassword: oldPassword, newPassword: "short" }))).toBe(
      "weak_password",
    );
    expect((await principals.findById("user", p.id))?.passwordHash).toBe(`plain:${oldPassword}`);
  });

  it("change: ends other sessions of that realm only, rotates the current one, kills reset tokens", async () => {
    const { auth, passwords, sessions, resetTokens } = setup();
    const email = "same@example.com";
    await auth.createPrincipal("user", { email, password: oldPassword });
    await auth.createPrincipal("admin", { email, password: oldPassword });
    const current = await auth.login("user", { email, password: oldPassword }, context);
    const other = await auth.login("user", { email, password: oldPassword }, context);
    const admin = await auth.login("admin", { email, password: oldPassword }, context);
    const reset = await passwords.requestReset("user", email);
    const changed = await passwords.change(current.session, { currentPassword: oldPassword, newPassword });
    expect(changed.endedSessionIds).toEqual([other.session.id]);
    expect(changed.token).not.toBe(current.token);
    expect((await sessions.validate("user", current.token)).ok).toBe(false);
    expect((await sessions.validate("user", other.token)).ok).toBe(false);
    expect((await sessions.validate("user", changed.token)).ok).toBe(true);
    expect((await sessions.validate("admin", admin.token)).ok).toBe(true);
    expect(await resetTokens.consume("user", hashSecret(reset?.token ?? ""), new Date())).toBeNull();
  });

  it("reset: unknown and disabled accounts get no token; a token is 256 bits, single use and ends every session", async () => {
    const { auth, passwords, principals, sessions, clock } = setup();
    expect(await passwords.requestReset("user", "nobody@example.com")).toBeNull();
    const p = await auth.createPrincipal("user", { email: "r@example.com", password: oldPassword });
    const a = await auth.login("user", { email: p.email, password: oldPassword }, context);
    const b = await auth.login("user", { email: p.email, password: oldPassword }, context);
    const issued = await passwords.requestReset("user", " R@Example.com ");
    expect(issued?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    clock.advance({ seconds: resetTokenLifetimeSeconds - 1 });
    const done = await passwords.confirmReset("user", { token: issued?.token ?? "", newPassword });
    expect(done.endedSessionIds.sort()).toEqual([a.session.id, b.session.id].sort());
    expect((await sessions.validate("user", a.token)).ok).toBe(false);
    expect(await codeOf(passwords.confirmReset("user", { token: issued?.token ?? "", newPassword }))).toBe(
      "reset_token_invalid",
    );
    await principals.setDisabledAt("user", p.id, clock.now());
    expect(await passwords.requestReset("user", p.email)).toBeNull();
  });

  it("reset: an expired token, a token of another realm and a weak password are refused", async () => {
    const { auth, passwords, clock } = setup();
    const p = await auth.createPrincipal("user", { email: "x@example.com", password: oldPassword });
    const issued = await passwords.requestReset("user", p.email);
    const token = issued?.token ?? "";
    expect(await codeOf(passwords.confirmReset("admin", { token, newPassword }))).toBe("reset_token_invalid");
    expect(await codeOf(passwords.confirmReset("user", { token, newPassword: "weak" }))).toBe("weak_password");
    clock.advance({ seconds: resetTokenLifetimeSeconds });
    expect(await codeOf(passwords.confirmReset("user", { token, newPassword }))).toBe("reset_token_invalid");
  });

  it("reset: a newer link kills the earlier one", async () => {
    const { auth, passwords } = setup();
    const p = await auth.createPrincipal("user", { email: "y@example.com", password: oldPassword });
    const first = await passwords.requestReset("user", p.email);
    const second = await passwords.requestReset("user", p.email);
    expect(await codeOf(passwords.confirmReset("user", { token: first?.token ?? "", newPassword }))).toBe(
      "reset_token_invalid",
    );
    await passwords.confirmReset("user", { token: second?.token ?? "", newPassword });
  });
});

describe("disable racing a sign-in", () => {
  it("a sign-in whose account is disabled while it runs keeps no session", async () => {
    const { auth, principals, store, sessions, clock } = setup();
    const p = await auth.createPrincipal("user", { email: "race@example.com", password: oldPassword });
    // The disable lands between the password check and the session insert.
    const insert = store.insert.bind(store);
    store.insert = async (record) => {
      await principals.setDisabledAt("user", p.id, clock.now());
      await sessions.revokeAllForPrincipal("user", p.id);
      await insert(record);
    };
    expect(await codeOf(auth.login("user", { email: p.email, password: oldPassword }, context))).toBe(
      "invalid_credentials",
    );
    expect(await store.listByPrincipal("user", p.id)).toEqual([]);
  });
});
