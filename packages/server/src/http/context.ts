import type {
  AuditSink,
  AuthService,
  Clock,
  CsrfTokens,
  Mailer,
  PrincipalStore,
  RealmRegistry,
  SessionService,
} from "@gatehouse/core";
import type { AbuseServices } from "../abuse/abuse-services.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";

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
  /** Throttling, CAPTCHA, one-time codes and their metrics (docs/abuse-protection.md). */
  abuse: AbuseServices;
}
