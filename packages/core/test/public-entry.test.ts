import { describe, expect, it } from "vitest";
import * as core from "../src/index.ts";
import * as testing from "../src/testing/index.ts";

describe("@gatehouse/core entries", () => {
  it("the public entry exports no in-memory test double; @gatehouse/core/testing does", () => {
    const doubles = (exports: object) => Object.keys(exports).filter((name) => name.startsWith("Memory"));
    expect(doubles(core)).toEqual([]);
    expect(doubles(testing)).toEqual([
      "MemoryAuditSink",
      "MemoryMailer",
      "MemoryOtpStore",
      "MemoryPrincipalStore",
      "MemoryResetTokenStore",
      "MemorySessionStore",
      "MemoryThrottleStore",
    ]);
  });
});
