import type { AuditSink, SecurityEvent } from "../audit.ts";

/** Test double that keeps what was recorded. */
export class MemoryAuditSink implements AuditSink {
  readonly events: SecurityEvent[] = [];
  async record(event: SecurityEvent): Promise<void> {
    this.events.push(event);
  }
}
