import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import {
  AccountService,
  type AuditSink,
  AuthService,
  builtinRoles,
  type Clock,
  CsrfTokens,
  createPermissions,
  createSecurityEventTypes,
  type Mailer,
  type PasswordHasher,
  PasswordService,
  type RandomSource,
  RealmRegistry,
  SessionService,
  systemClock,
} from "@gatehouse/core";
import type { FastifyBaseLogger } from "fastify";
import { buildAbuseServices } from "./abuse/abuse-services.ts";
import { zxcvbnCommonPasswordCheck } from "./abuse/common-passwords.ts";
import { AuditRecorder, buildUseCases } from "./app/index.ts";
import { fanOutSink } from "./audit/fan-out-sink.ts";
import { logAuditSink } from "./audit/log-audit-sink.ts";
import { wireChamaHub } from "./chamahub-plugin.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { AppContext } from "./http/context.ts";
import { runCleanup } from "./jobs/cleanup.ts";
import { createMailer } from "./mail/mailer.ts";
import { createArgon2Hasher } from "./stores/argon2-hasher.ts";
import { CachingPrincipalStore } from "./stores/caching-principal-store.ts";
import { CachingSessionStore, type InvalidationBus, localInvalidationBus } from "./stores/caching-session-store.ts";
import { DatabaseHealth } from "./stores/database-health.ts";
import { PgAdminQueries } from "./stores/pg-admin-queries.ts";
import { PgAuditStore } from "./stores/pg-audit-store.ts";
import { PgPrincipalStore } from "./stores/pg-principal-store.ts";
import { PgResetTokenStore } from "./stores/pg-reset-token-store.ts";
import { PgRoleStore } from "./stores/pg-role-store.ts";
import { PgSessionStore } from "./stores/pg-session-store.ts";
import { PgTotpStore } from "./stores/pg-totp-store.ts";
import { RedisInvalidationBus } from "./stores/redis-invalidation-bus.ts";
import { RolePermissionResolver } from "./stores/role-permission-resolver.ts";
import { SecretBox } from "./stores/secret-box.ts";

export const cryptoRandom: RandomSource = { bytes: (length) => new Uint8Array(randomBytes(length)) };

/** Wires the core services onto the database. Tests pass their own clock (and a cheaper hasher if they like). */
export function buildServices(
  config: Readonly<Config>,
  database: Database,
  options: {
    sessionSecret: string;
    logger: FastifyBaseLogger;
    clock?: Clock;
    hasher?: PasswordHasher;
    mailer?: Mailer;
    audit?: AuditSink;
  },
): AppContext {
  const clock = options.clock ?? systemClock;
  const realms = new RealmRegistry(config.realms);
  // Sessions are read through an exact cache; with Redis, invalidations reach every node before a
  // revocation answers (stores/caching-session-store.ts, stores/redis-invalidation-bus.ts).
  const sessionBus: InvalidationBus = config.redisUrl
    ? new RedisInvalidationBus(config.redisUrl, config.abuse.redisKeyPrefix)
    : localInvalidationBus;
  // The caches are used only while the invalidations can reach this node and the database answers.
  const databaseHealth = new DatabaseHealth(() => database.ping());
  const cacheGate: InvalidationBus = {
    publish: (ids) => sessionBus.publish(ids),
    subscribe: (drop) => sessionBus.subscribe(drop),
    usable: () => sessionBus.usable() && databaseHealth.ok(),
    close: async () => {
      databaseHealth.close();
      await sessionBus.close();
    },
  };
  const sessionStore =
    config.sessionCacheEntries > 0
      ? new CachingSessionStore(new PgSessionStore(database.db), {
          clock,
          bus: cacheGate,
          maxEntries: config.sessionCacheEntries,
        })
      : new PgSessionStore(database.db);
  const sessions = new SessionService({ store: sessionStore, clock, random: cryptoRandom, realms });
  const principals =
    config.sessionCacheEntries > 0
      ? new CachingPrincipalStore(new PgPrincipalStore(database.db), {
          bus: cacheGate,
          maxEntries: config.sessionCacheEntries,
        })
      : new PgPrincipalStore(database.db);
  const hasher = options.hasher ?? createArgon2Hasher({ nice: config.passwordHashNice });
  const auth = new AuthService({
    principals,
    sessions,
    hasher,
    realms,
    clock,
    random: cryptoRandom,
    isCommonPassword: zxcvbnCommonPasswordCheck,
    // Late-bound: the use cases are built below; a sign-in never runs before this function returns.
    stageFor: (principal) => useCases.secondFactor.stageAfterPassword(principal),
  });
  // Derived, so one SESSION_SECRET serves every purpose without reusing the raw value.
  const csrfKey = createHash("sha256").update(`gatehouse:csrf-key:${options.sessionSecret}`).digest();
  const mailer =
    options.mailer ??
    createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(config.dataDir, "outbox") });
  // session lifecycle: the audit table (plus the structured log) by default; tests may inject a sink.
  const auditLog = new PgAuditStore(database.db);
  const audit = options.audit ?? fanOutSink(auditLog, logAuditSink(options.logger));
  const resetTokens = new PgResetTokenStore(database.db);
  const passwords = new PasswordService({
    principals,
    sessions,
    resetTokens,
    hasher,
    clock,
    random: cryptoRandom,
    isCommonPassword: zxcvbnCommonPasswordCheck,
  });
  const registries = { permissions: createPermissions(), securityEventTypes: createSecurityEventTypes() };
  // Roles are data; each admin's permission set is cached exactly, on the same bus as sessions.
  const roles = new PgRoleStore(database.db, cryptoRandom, builtinRoles);
  const permissions = new RolePermissionResolver({
    roles,
    registry: registries.permissions,
    adminRealms: realms.adminRealms().map((realm) => realm.name),
    bus: cacheGate,
    maxEntries: config.sessionCacheEntries,
  });
  const abuse = buildAbuseServices(config, database, {
    sessionSecret: options.sessionSecret,
    clock,
    random: cryptoRandom,
  });
  const recorder = new AuditRecorder({ sink: audit, clock, log: options.logger, types: registries.securityEventTypes });
  const accounts = new AccountService({ principals, sessions, realms, clock });
  // Domain packages plug in here: their names join the registries before any route is built.
  const chamaHub = wireChamaHub({
    database,
    realms,
    registries,
    audit: recorder,
    mailer,
    clock,
    publicOrigin: config.publicUrl.origin,
    log: options.logger,
  });
  const useCases = buildUseCases({
    realms,
    auth,
    otp: abuse.otp,
    principals,
    throttle: abuse.throttle,
    audit: recorder,
    mailer,
    publicOrigin: config.publicUrl.origin,
    publicUrl: config.publicUrl,
    log: options.logger,
    passwords,
    sessions,
    accounts,
    auditLog,
    reads: new PgAdminQueries(database.db),
    clock,
    pingDatabase: () => database.ping(),
    databaseDialect: database.dialect,
    pingRedis: abuse.pingRedis,
    pendingMigrations: () => database.pendingMigrations(),
    cleanup: (trigger) => runCleanup(ctx, { trigger }),
    roles,
    permissionCache: permissions,
    permissions,
    registries,
    adminRealm: realms.adminRealms()[0]?.name ?? null,
    secondFactors: new PgTotpStore(database.db),
    secretBox: new SecretBox(options.sessionSecret),
    hasher,
    random: cryptoRandom,
    adminSecondFactor: config.adminSecondFactor,
    chamaHub,
  });
  const ctx: AppContext = {
    config,
    clock,
    realms,
    csrf: new CsrfTokens(csrfKey),
    useCases,
    abuse,
    sessions,
    permissions,
    registries,
    sessionBus: cacheGate,
    audit: recorder,
    database,
    auth,
    principals,
    passwords,
  };
  return ctx;
}
