/**
 * Security events. Every one names its realm and carries a hash of the session id, never a token,
 * secret or password. The audit log (a database table) and the structured log both consume these.
 */
export type SecurityEventType =
  | "login_succeeded"
  | "login_failed"
  | "signup"
  | "otp_signin"
  | "logout"
  | "session_evicted"
  | "session_revoked"
  | "password_changed"
  | "password_reset_requested"
  | "password_reset_completed"
  | "account_disabled"
  | "account_enabled"
  | "throttled"
  | "csrf_refused"
  | "cross_site_refused"
  | "captcha_failed"
  | "permission_denied"
  | "cleanup_ran";

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
