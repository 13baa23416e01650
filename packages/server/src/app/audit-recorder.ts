import { type AuditSink, type Clock, hashSessionId, type NameRegistry, type SecurityEvent } from "@gatehouse/core";
import type { RequestMeta } from "./request-meta.ts";

export type EventInput = Pick<SecurityEvent, "type"> &
  Partial<Omit<SecurityEvent, "type" | "sessionIdHash" | "occurredAt" | "ip" | "userAgent">> & {
    sessionId?: string | null;
  };

/** The part of a logger the recorder needs (pino's shape; its `err` serializer scrubs the error). */
export interface ErrorLog {
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * Records security events for the application layer. The session id is hashed here, so no caller can
 * put a raw id or token into the audit log by mistake. A failure to record is logged, never turned
 * into a failed request (the action already happened).
 */
export class AuditRecorder {
  constructor(
    private readonly deps: {
      sink: AuditSink;
      clock: Clock;
      log: ErrorLog;
      /** The event types that may be recorded: the core's and those packages registered at boot. */
      types: NameRegistry<string>;
    },
  ) {}

  async record(meta: RequestMeta | null, input: EventInput): Promise<void> {
    this.deps.types.assert(input.type);
    const { sessionId, ...rest } = input;
    const event: SecurityEvent = {
      realm: null,
      principalId: null,
      actor: null,
      details: {},
      ...rest,
      ip: meta?.ip ?? null,
      userAgent: meta?.userAgent ?? null,
      sessionIdHash: sessionId ? hashSessionId(sessionId) : null,
      occurredAt: this.deps.clock.now(),
    };
    try {
      await this.deps.sink.record(event);
    } catch (error) {
      this.deps.log.error({ err: error, eventType: event.type }, "could not record security event");
    }
  }

  /** One `session_revoked` event per ended session, all with the same realm, principal, actor and details. */
  async revocations(
    meta: RequestMeta | null,
    input: {
      realm: string;
      principalId: string;
      actor: string | null;
      sessionIds: readonly string[];
      details: Record<string, unknown>;
    },
  ): Promise<void> {
    const { sessionIds, ...event } = input;
    for (const sessionId of sessionIds) await this.record(meta, { ...event, type: "session_revoked", sessionId });
  }

  /** A sign-in: the new session, the one it replaced in this browser, and any evicted past the session limit. */
  async signIn(
    meta: RequestMeta,
    type: SecurityEvent["type"],
    result: {
      session: { id: string; realm: string };
      principal: { id: string };
      replacedSessionId: string | null;
      evictedSessionIds: readonly string[];
    },
  ): Promise<void> {
    const base = { realm: result.session.realm, principalId: result.principal.id };
    await this.record(meta, { ...base, type, sessionId: result.session.id });
    if (result.replacedSessionId) {
      await this.record(meta, {
        ...base,
        type: "logout",
        sessionId: result.replacedSessionId,
        details: { reason: "replaced_by_login" },
      });
    }
    for (const evicted of result.evictedSessionIds) {
      await this.record(meta, {
        ...base,
        type: "session_evicted",
        sessionId: evicted,
        details: { reason: "session_limit" },
      });
    }
  }
}
