import { NameRegistry } from "./name-registry.ts";

/**
 * Security events. Every one names its realm and carries a hash of the session id, never a token,
 * secret or password. The audit log (a database table) and the structured log both consume these.
 */
export const coreSecurityEventTypes = [
  "login_succeeded",
  "login_failed",
  "signup",
  "otp_signin",
  "logout",
  "session_evicted",
  "session_revoked",
  "password_changed",
  "password_reset_requested",
  "password_reset_completed",
  "principal_created",
  "account_disabled",
  "account_enabled",
  "throttled",
  "csrf_refused",
  "cross_site_refused",
  "captcha_failed",
  "permission_denied",
  "cleanup_ran",
  "role_created",
  "role_updated",
  "role_deleted",
  "role_granted",
  "role_removed",
  "session_rotated",
  "totp_enrolled",
  "totp_disabled",
  "totp_verified",
  "totp_failed",
  "recovery_code_used",
  "reauthenticated",
  "step_up_refused",
] as const;

export type CoreSecurityEventType = (typeof coreSecurityEventTypes)[number];
/**
 * The core's event types, or one a domain package registered in `securityEventTypes` at boot
 * (`string & {}` keeps editor completion for the core's own).
 */
export type SecurityEventType = CoreSecurityEventType | (string & {});

/** Every event type that may be recorded: the core's, plus what packages register at boot. */
export function createSecurityEventTypes(): NameRegistry<CoreSecurityEventType> {
  return new NameRegistry("security event type", coreSecurityEventTypes);
}

export interface SecurityEvent {
  type: SecurityEventType;
  realm: string | null;
  /** The principal the event is about. */
  principalId: string | null;
  /** Who did it, when not the principal itself (an admin revoking, the cleanup job). */
  actor: string | null;
  ip: string | null;
  userAgent: string | null;
  /** hashSessionId(id), never the id or token itself. */
  sessionIdHash: string | null;
  /** Small, non-secret facts (counts, reasons, the email tried on a failed login). */
  details: Record<string, unknown>;
  occurredAt: Date;
}

export interface AuditSink {
  record(event: SecurityEvent): Promise<void>;
}

export interface AuditFilter {
  realm?: string | undefined;
  principalId?: string | undefined;
  types?: string[] | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export interface StoredAuditEvent extends SecurityEvent {
  id: number;
}

/** Reads the audit log newest first, with a keyset cursor (the id of the last event seen). */
export interface AuditLogReader {
  query(
    filter: AuditFilter,
    page: { beforeId?: number | undefined; limit: number },
  ): Promise<{ events: StoredAuditEvent[]; nextBeforeId: number | null }>;
}
