import type { AuditSink, SecurityEvent } from "@gatehouse/core";
import type { FastifyBaseLogger } from "fastify";

/** Writes security events to the structured log. The database audit log wraps or replaces this. */
export function logAuditSink(logger: FastifyBaseLogger): AuditSink {
  return {
    record: async (event: SecurityEvent) => {
      logger.info(
        { securityEvent: { ...event, occurredAt: event.occurredAt.toISOString() } },
        `security event ${event.type}`,
      );
    },
  };
}
