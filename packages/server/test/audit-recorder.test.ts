import { createSecurityEventTypes, FixedClock, hashSessionId } from "@gatehouse/core";
import { MemoryAuditSink } from "@gatehouse/core/testing";
import { describe, expect, it } from "vitest";
import { AuditRecorder } from "../src/app/index.ts";

function setup() {
  const sink = new MemoryAuditSink();
  const logged: string[] = [];
  const types = createSecurityEventTypes();
  const recorder = new AuditRecorder({
    sink,
    clock: new FixedClock("2026-07-01T00:00:00.000Z"),
    log: { error: (_fields, message) => logged.push(message) },
    types,
  });
  return { sink, logged, types, recorder };
}
const meta = { ip: "192.0.2.1", throttleIp: "192.0.2.1", userAgent: "test" };

describe("AuditRecorder (no HTTP request needed)", () => {
  it("records with the request's facts and a hashed session id, never the id itself", async () => {
    const { sink, recorder } = setup();
    await recorder.record(meta, { type: "logout", realm: "user", principalId: "p", sessionId: "session-id-1" });
    expect(sink.events).toEqual([
      expect.objectContaining({
        type: "logout",
        ip: "192.0.2.1",
        userAgent: "test",
        sessionIdHash: hashSessionId("session-id-1"),
      }),
    ]);
    expect(JSON.stringify(sink.events)).not.toContain("session-id-1");
  });

  it("records event types a package registered at boot, and refuses ones nobody registered", async () => {
    const { sink, types, recorder } = setup();
    await expect(recorder.record(meta, { type: "chama_created" })).rejects.toThrow(/Unknown security event type/);
    types.register("chama_created");
    await recorder.record(meta, { type: "chama_created", details: { chama: "c1" } });
    expect(sink.events.map((e) => e.type)).toEqual(["chama_created"]);
  });

  it("logs instead of failing when the sink is down (the action already happened)", async () => {
    const { sink, logged, recorder } = setup();
    sink.record = async () => {
      throw new Error("down");
    };
    await recorder.record(null, { type: "login_failed" });
    expect(logged).toEqual(["could not record security event"]);
  });
});
