import { issueToken } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { looksLikeToken, refuseTokenInUrl } from "../../src/http/guard/token-in-url.ts";
import { cryptoRandom, errorCode, tinyApp } from "./tiny-app.ts";

const token = issueToken(cryptoRandom).token;
let app: Awaited<ReturnType<typeof tinyApp>>;

beforeAll(async () => {
  app = await tinyApp(refuseTokenInUrl(["user_session", "admin_session"]));
  // A sessionless route: the refusal does not depend on the route reading a cookie.
  app.get("/open", async () => "ok");
  await app.ready();
});
afterAll(() => app.close());

const get = (query: string) => app.inject({ method: "GET", url: `/open?${query}` });

describe("token-in-URL refusal", () => {
  it.each([
    ["as a value", `token=${token}`],
    ["as the key", token],
    ["among repeated values", `t=a&t=${token}`],
    ["with whitespace around it", `t=%20${token}%0A`],
    ["under a cookie name", "user_session=anything"],
    ["under the other realm's cookie name", "admin_session="],
  ])("refuses a token %s", async (_, query) => {
    const response = await get(query);
    expect(response.statusCode).toBe(400);
    expect(errorCode(response.body)).toBe("token_in_url");
  });

  it.each([
    ["no query", ""],
    ["ordinary parameters", "page=2&passive=true"],
    ["a string one character short of a token", `t=${token.slice(1)}`],
    ["a token inside a longer string", `t=x${token}`],
  ])("lets %s through", async (_, query) => {
    expect((await get(query)).statusCode).toBe(200);
  });

  it("recognises exactly core's token format", () => {
    expect(looksLikeToken(token)).toBe(true);
    expect(looksLikeToken(` ${token} `)).toBe(true);
    expect(looksLikeToken(`${token}=`)).toBe(false);
    expect(looksLikeToken(42)).toBe(false);
    expect(looksLikeToken(`${" ".repeat(token.length * 2)}${token}`)).toBe(false);
  });
});
