import type { AuditSink, SecurityEvent } from "@gatehouse/core";

/** Sends each event to every sink (the audit table and the structured log); fails if any sink fails. */
export function fanOutSink(...sinks: AuditSink[]): AuditSink {
  return {
    record: async (event: SecurityEvent) => {
      const results = await Promise.allSettled(sinks.map((sink) => sink.record(event)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
}
