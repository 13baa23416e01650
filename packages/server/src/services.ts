import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import {
  type AuditSink,
  AuthService,
  type Clock,
  CsrfTokens,
  type Mailer,
  type PasswordHasher,
  type RandomSource,
  RealmRegistry,
  SessionService,
  systemClock,
} from "@gatehouse/core";
import type { FastifyBaseLogger } from "fastify";
import { buildAbuseServices } from "./abuse/abuse-services.ts";
import { zxcvbnCommonPasswordCheck } from "./abuse/common-passwords.ts";
import { logAuditSink } from "./audit/log-audit-sink.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { AppContext } from "./http/context.ts";
import { createMailer } from "./mail/mailer.ts";
import { argon2Hasher } from "./stores/argon2-hasher.ts";
import { PgPrincipalStore } from "./stores/pg-principal-store.ts";
import { PgSessionStore } from "./stores/pg-session-store.ts";

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
  const sessions = new SessionService({ store: new PgSessionStore(database.db), clock, random: cryptoRandom, realms });
  const principals = new PgPrincipalStore(database.db);
  const auth = new AuthService({
    principals,
    sessions,
    hasher: options.hasher ?? argon2Hasher,
    realms,
    clock,
    random: cryptoRandom,
    isCommonPassword: zxcvbnCommonPasswordCheck,
  });
  // Derived, so one SESSION_SECRET serves every purpose without reusing the raw value.
  const csrfKey = createHash("sha256").update(`gatehouse:csrf-key:${options.sessionSecret}`).digest();
  const mailer =
    options.mailer ??
    createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(config.dataDir, "outbox") });
  const audit = options.audit ?? logAuditSink(options.logger);
  const abuse = buildAbuseServices(config, database, {
    sessionSecret: options.sessionSecret,
    clock,
    random: cryptoRandom,
  });
  return {
    config,
    clock,
    realms,
    sessions,
    auth,
    principals,
    csrf: new CsrfTokens(csrfKey),
    database,
    mailer,
    audit,
    abuse,
  };
}
