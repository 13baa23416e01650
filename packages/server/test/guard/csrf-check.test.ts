import { CsrfTokens } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCsrf } from "../../src/http/guard/csrf-check.ts";
import { errorCode, fakeSignedIn, sessionRecord, tinyApp } from "./tiny-app.ts";

const csrf = new CsrfTokens(new Uint8Array(32).fill(7));
const session = sessionRecord();
const signedIn = { "x-test-signed-in": "yes" };
let app: Awaited<ReturnType<typeof tinyApp>>;

beforeAll(async () => {
  app = await tinyApp(fakeSignedIn(session), checkCsrf(csrf));
  app.route({
    method: ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"],
    url: "/x",
    handler: async () => "ok",
  });
  await app.ready();
});
afterAll(() => app.close());

describe("CSRF check", () => {
  it.each(["POST", "PUT", "PATCH", "DELETE"] as const)(
    "refuses %s with a session but without its token",
    async (method) => {
      const response = await app.inject({ method, url: "/x", headers: signedIn });
      expect(response.statusCode).toBe(403);
      expect(errorCode(response.body)).toBe("csrf_token_invalid");
    },
  );

  it("accepts an unsafe method with the session's own token", async () => {
    const headers = { ...signedIn, "x-csrf-token": csrf.tokenFor(session) };
    expect((await app.inject({ method: "POST", url: "/x", headers })).statusCode).toBe(200);
  });

  it("refuses the token of another session or of the same session id in another realm", async () => {
    for (const other of [
      { ...session, id: "session-2" },
      { ...session, realm: "admin" },
    ]) {
      const headers = { ...signedIn, "x-csrf-token": csrf.tokenFor(other) };
      expect(errorCode((await app.inject({ method: "POST", url: "/x", headers })).body)).toBe("csrf_token_invalid");
    }
  });

  it.each(["GET", "HEAD", "OPTIONS"] as const)("does not ask for a token on %s", async (method) => {
    expect((await app.inject({ method, url: "/x", headers: signedIn })).statusCode).toBe(200);
  });

  it("does not ask for a token when the request carries no session", async () => {
    expect((await app.inject({ method: "POST", url: "/x" })).statusCode).toBe(200);
  });
});
