import { describe, expect, it } from "vitest";
import { checkPassword, type GatehouseError } from "../src/index.ts";

async function reason(password: string, isCommon?: (p: string) => Promise<boolean>): Promise<string | null> {
  try {
    await checkPassword(password, isCommon);
    return null;
  } catch (error) {
    return ((error as GatehouseError).details as { reason: string }).reason;
  }
}

describe("password policy", () => {
  it("refuses short, overlong and common passwords with a reason", async () => {
    expect(await reason("a".repeat(11))).toBe("too_short");
    expect(await reason("a".repeat(257))).toBe("too_long");
    expect(await reason("é".repeat(12))).toBeNull();
    const list = async (p: string) => p === "correct horse battery";
    expect(await reason("correct horse battery", list)).toBe("common_password");
    expect(await reason("uncommon horse battery", list)).toBeNull();
  });
});
