import type { Clock, Mailer } from "@gatehouse/core";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** Any drizzle PostgreSQL database (node-postgres or PGlite); ChamaHub brings its own tables. */
// biome-ignore lint/suspicious/noExplicitAny: the schema generic of the host's database is not ours to know
export type ChamaDb = PgDatabase<PgQueryResultHKT, any>;

/** A user account as ChamaHub shows it (the session core owns accounts; this is a read-only view). */
export interface Person {
  id: string;
  email: string;
  displayName: string | null;
}

/** How ChamaHub finds user accounts without knowing how the host stores them. Each call is one query. */
export interface PeopleDirectory {
  findByEmail(email: string): Promise<Person | null>;
  findByEmails(emails: readonly string[]): Promise<Person[]>;
  byIds(ids: readonly string[]): Promise<Map<string, Person>>;
}

/** Who is asking: where from (for the audit log), never a token. */
export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
}

/** The signed-in user or admin acting. */
export interface Caller {
  realm: string;
  principalId: string;
}

export interface ChamaEvent {
  type: string;
  realm: string | null;
  principalId: string | null;
  actor: string | null;
  details: Record<string, unknown>;
}

/** The host's audit log (event types registered at boot, see plugin.ts). */
export interface ChamaAudit {
  record(meta: RequestInfo | null, event: ChamaEvent): Promise<void>;
}

export interface ChamaHubDeps {
  db: ChamaDb;
  clock: Clock;
  people: PeopleDirectory;
  audit: ChamaAudit;
  mailer: Mailer;
  /** The realm whose users are members (`user`). */
  userRealm: string;
  publicOrigin: string;
  log: {
    info(fields: Record<string, unknown>, message: string): void;
    error(fields: Record<string, unknown>, message: string): void;
  };
}
