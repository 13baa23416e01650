import { describe, expect, it } from "vitest";
import { issueToken, maxTokenLength, parseToken, tokenPattern } from "../src/index.ts";
import { cryptoRandom } from "./helpers.ts";

describe("token format", () => {
  it("is the one pattern every issued token matches, at exactly the longest token length", () => {
    for (let i = 0; i < 200; i++) {
      const { token, id } = issueToken(cryptoRandom);
      expect(token).toMatch(tokenPattern);
      expect(token).toHaveLength(maxTokenLength);
      expect(parseToken(token)?.id).toBe(id);
    }
  });

  it("is 22 + 43 unpadded base64url characters around one dot (16-byte id, 32-byte secret)", () => {
    expect(tokenPattern.test(`${"A".repeat(22)}.${"b".repeat(43)}`)).toBe(true);
    expect(tokenPattern.test(`${"-".repeat(22)}.${"_".repeat(43)}`)).toBe(true);
    for (const bad of [
      `${"A".repeat(21)}.${"b".repeat(43)}`,
      `${"A".repeat(22)}.${"b".repeat(44)}`,
      `${"A".repeat(22)}.${"b".repeat(42)}=`,
      `${"A".repeat(22)}${"b".repeat(44)}`,
      `${"A".repeat(22)}.${"b".repeat(43)}\n`,
      ` ${"A".repeat(22)}.${"b".repeat(43)}`,
    ]) {
      expect(tokenPattern.test(bad)).toBe(false);
      expect(parseToken(bad)).toBeNull();
    }
  });
});
