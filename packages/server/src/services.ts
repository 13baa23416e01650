import { createHash, randomBytes } from "node:crypto";
import {
  AuthService,
  type Clock,
  CsrfTokens,
  type PasswordHasher,
  type RandomSource,
  RealmRegistry,
  SessionService,
  systemClock,
} from "@gatehouse/core";
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { AppContext } from "./http/context.ts";
import { argon2Hasher } from "./stores/argon2-hasher.ts";
import { PgPrincipalStore } from "./stores/pg-principal-store.ts";
import { PgSessionStore } from "./stores/pg-session-store.ts";

export const cryptoRandom: RandomSource = { bytes: (length) => new Uint8Array(randomBytes(length)) };

/** Wires the core services onto the database. Tests pass their own clock (and a cheaper hasher if they like). */
export function buildServices(
  config: Readonly<Config>,
  database: Database,
  options: { sessionSecret: string; clock?: Clock; hasher?: PasswordHasher },
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
  });
  // Derived, so one SESSION_SECRET serves every purpose without reusing the raw value.
  const csrfKey = createHash("sha256").update(`gatehouse:csrf-key:${options.sessionSecret}`).digest();
  return { config, clock, realms, sessions, auth, principals, csrf: new CsrfTokens(csrfKey), database };
}
