import { describe, expect, it } from "vitest";
import { GatehouseError } from "../src/index.ts";
import { makeCore } from "./helpers.ts";

const context = { ip: null, userAgent: null };
const password = "correct horse battery";

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof GatehouseError ? error.code : String(error);
}

describe("AuthService", () => {
  it("signs in with the right password and answers unknown email and wrong password alike", async () => {
    const { auth } = makeCore();
    await auth.createPrincipal("user", { email: "Amina@Example.com ", password });
    const ok = await auth.login("user", { email: "amina@example.com", password }, context);
    expect(ok.principal.email).toBe("amina@example.com");
    expect(await codeOf(auth.login("user", { email: "amina@example.com", password: "wrong password!" }, context))).toBe(
      "invalid_credentials",
    );
    expect(await codeOf(auth.login("user", { email: "nobody@example.com", password }, context))).toBe(
      "invalid_credentials",
    );
  });

  it("keeps the realms' principals apart even with one email", async () => {
    const { auth } = makeCore();
    await auth.createPrincipal("user", { email: "same@example.com", password });
    expect(await codeOf(auth.login("admin", { email: "same@example.com", password }, context))).toBe(
      "invalid_credentials",
    );
    await auth.createPrincipal("admin", { email: "same@example.com", password: "another password here" });
    const admin = await auth.login("admin", { email: "same@example.com", password: "another password here" }, context);
    const user = await auth.login("user", { email: "same@example.com", password }, context);
    expect(admin.principal.id).not.toBe(user.principal.id);
  });

  it("ends the realm's previous session of this browser at sign-in, and only that realm's", async () => {
    const { auth, sessions } = makeCore();
    await auth.createPrincipal("user", { email: "a@example.com", password });
    await auth.createPrincipal("admin", { email: "a@example.com", password });
    const admin = await auth.login("admin", { email: "a@example.com", password }, context);
    const first = await auth.login("user", { email: "a@example.com", password }, context);
    const second = await auth.login("user", { email: "a@example.com", password, previousToken: first.token }, context);
    expect(second.replacedSessionId).toBe(first.session.id);
    expect((await sessions.validate("user", first.token)).ok).toBe(false);
    expect((await sessions.validate("user", second.token)).ok).toBe(true);
    expect((await sessions.validate("admin", admin.token)).ok).toBe(true);
  });

  it("refuses short and overlong passwords with weak_password", async () => {
    const { auth } = makeCore();
    expect(await codeOf(auth.createPrincipal("user", { email: "s@example.com", password: "short" }))).toBe(
      "weak_password",
    );
    expect(await codeOf(auth.createPrincipal("user", { email: "s@example.com", password: "x".repeat(257) }))).toBe(
      "weak_password",
    );
  });
});
