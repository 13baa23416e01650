import type {
  AuthService,
  Clock,
  CsrfTokens,
  NameRegistry,
  PasswordService,
  PermissionResolver,
  PrincipalStore,
  RealmRegistry,
  SessionService,
} from "@gatehouse/core";
import type { AbuseServices } from "../abuse/abuse-services.ts";
import type { AuditRecorder, UseCases } from "../app/index.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { InvalidationBus } from "../stores/caching-session-store.ts";

/**
 * What a route handler may use: the use cases, plus what speaking HTTP needs (config for cookies,
 * the clock for cookie lifetimes, CSRF tokens for answers, the realm registry). No store, no database:
 * a rule that needs one belongs in a use case (app/). `test/route-boundaries.test.ts` holds the line.
 */
export interface RouteContext {
  config: Readonly<Config>;
  clock: Clock;
  realms: RealmRegistry;
  csrf: CsrfTokens;
  useCases: UseCases;
  /** The public endpoints' settings and the CAPTCHA/metrics services (no stores). */
  abuse: Pick<AbuseServices, "captcha" | "metrics" | "throttle" | "otp">;
}

/**
 * Everything the process wires together (buildServices): the route context, plus what the HTTP
 * plumbing (session guard, abuse events), the jobs, the CLI and tests use.
 */
export interface AppContext extends RouteContext {
  abuse: AbuseServices;
  sessions: SessionService;
  /** Who may do what on admin routes; the session guard asks it for each route's declared permission. */
  permissions: PermissionResolver;
  /** Registries a domain package extends at boot: admin permissions and audit event types. */
  registries: { permissions: NameRegistry<string>; securityEventTypes: NameRegistry<string> };
  audit: AuditRecorder;
  /** Carries session invalidations to every node (Redis) or nowhere (one node); closed with the app. */
  sessionBus: InvalidationBus;
  database: Database;
  // For the CLI's seeding and for tests; routes go through `useCases`.
  auth: AuthService;
  principals: PrincipalStore;
  passwords: PasswordService;
}
