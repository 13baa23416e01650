import type {
  AuditSink,
  AuthService,
  Clock,
  CsrfTokens,
  Mailer,
  PasswordService,
  PermissionResolver,
  PrincipalStore,
  RealmRegistry,
  SessionService,
} from "@gatehouse/core";
import type { AbuseServices } from "../abuse/abuse-services.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { PgAuditStore } from "../stores/pg-audit-store.ts";

/** Everything a route may use. Built once by `buildServices`, injected into `buildApp`. */
export interface AppContext {
  config: Readonly<Config>;
  clock: Clock;
  realms: RealmRegistry;
  sessions: SessionService;
  auth: AuthService;
  principals: PrincipalStore;
  csrf: CsrfTokens;
  database: Database;
  mailer: Mailer;
  audit: AuditSink;
  // session lifecycle
  passwords: PasswordService;
  /** Who may do what on admin routes; the session guard asks it for each route's declared permission. */
  permissions: PermissionResolver;
  /** Reads the audit table (whatever `audit` writes to; tests may inject a memory sink). */
  auditLog: PgAuditStore;
  /** Throttling, CAPTCHA, one-time codes and their metrics (docs/abuse-protection.md). */
  abuse: AbuseServices;
}
