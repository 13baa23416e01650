import { randomBytes } from "node:crypto";
import {
  AuthService,
  defaultRealmPolicies,
  FixedClock,
  type PasswordHasher,
  type RandomSource,
  RealmRegistry,
  SessionService,
} from "../src/index.ts";
import { MemoryPrincipalStore, MemorySessionStore } from "../src/testing/index.ts";

export const cryptoRandom: RandomSource = { bytes: (n) => new Uint8Array(randomBytes(n)) };

/** Not a password hash: a reversible stand-in so core unit tests do not spend argon2 time. */
export const plainHasher: PasswordHasher = {
  hash: async (password) => `plain:${password}`,
  verify: async (hash, password) => hash === `plain:${password}`,
};

export function makeCore() {
  const clock = new FixedClock("2026-03-01T08:00:00.000Z");
  const store = new MemorySessionStore();
  const principals = new MemoryPrincipalStore();
  const realms = new RealmRegistry([defaultRealmPolicies.user, defaultRealmPolicies.admin]);
  const sessions = new SessionService({ store, clock, random: cryptoRandom, realms });
  const auth = new AuthService({ principals, sessions, hasher: plainHasher, realms, clock, random: cryptoRandom });
  return { clock, store, principals, realms, sessions, auth };
}
