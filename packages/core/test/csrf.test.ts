import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CsrfTokens } from "../src/index.ts";

describe("CSRF tokens", () => {
  const csrf = new CsrfTokens(randomBytes(32));
  const session = { realm: "user", id: "abc" };

  it("verify for their own session and realm only", () => {
    const token = csrf.tokenFor(session);
    expect(csrf.verify(session, token)).toBe(true);
    expect(csrf.verify({ realm: "admin", id: "abc" }, token)).toBe(false);
    expect(csrf.verify({ realm: "user", id: "abd" }, token)).toBe(false);
    expect(csrf.verify(session, undefined)).toBe(false);
    expect(csrf.verify(session, `${token}x`)).toBe(false);
  });

  it("differ between server keys", () => {
    expect(new CsrfTokens(randomBytes(32)).tokenFor(session)).not.toBe(csrf.tokenFor(session));
  });
});
