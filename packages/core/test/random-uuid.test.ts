import { describe, expect, it } from "vitest";
import { randomUuid } from "../src/index.ts";

describe("randomUuid", () => {
  it("is a version-4 UUID made from the injected randomness only", () => {
    const fixed = { bytes: (length: number) => new Uint8Array(length).fill(0xff) };
    expect(randomUuid(fixed)).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    const zero = { bytes: (length: number) => new Uint8Array(length) };
    expect(randomUuid(zero)).toBe("00000000-0000-4000-8000-000000000000");
    const real = { bytes: (length: number) => crypto.getRandomValues(new Uint8Array(length)) };
    expect(randomUuid(real)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
