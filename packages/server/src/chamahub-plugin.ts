import { type ChamaDb, type ChamaHub, chamaEventTypes, chamaPermissions, createChamaHub } from "@gatehouse/chamahub";
import type { Clock, Mailer, NameRegistry, RealmRegistry } from "@gatehouse/core";
import type { FastifyBaseLogger } from "fastify";
import type { AuditRecorder } from "./app/index.ts";
import type { Database } from "./db/database.ts";
import { PgPeopleDirectory } from "./stores/pg-people-directory.ts";

/**
 * Plugs ChamaHub into the server at boot: its permissions and audit event types join the registries
 * (the core's lists stay closed), and it gets the database, the people of the user realm, the audit
 * recorder and the mailer. Its routes are registered by routes/chamas/index.ts.
 */
export function wireChamaHub(deps: {
  database: Database;
  realms: RealmRegistry;
  registries: { permissions: NameRegistry<string>; securityEventTypes: NameRegistry<string> };
  audit: AuditRecorder;
  mailer: Mailer;
  clock: Clock;
  publicOrigin: string;
  log: FastifyBaseLogger;
}): ChamaHub {
  deps.registries.permissions.register(...chamaPermissions);
  deps.registries.securityEventTypes.register(...chamaEventTypes);
  const userRealm = memberRealm(deps.realms);
  return createChamaHub({
    db: deps.database.db as unknown as ChamaDb,
    clock: deps.clock,
    people: new PgPeopleDirectory(deps.database.db, userRealm),
    audit: { record: (meta, event) => deps.audit.record(meta ? { ...meta, throttleIp: null } : null, event) },
    mailer: deps.mailer,
    userRealm,
    publicOrigin: deps.publicOrigin,
    log: deps.log,
  });
}

/** Chama members are accounts of the `user` realm (or of the first realm without the admin API). */
export function memberRealm(realms: RealmRegistry): string {
  const realm = realms.find("user") ?? realms.all().find((r) => !r.adminApi);
  if (!realm) throw new Error("ChamaHub needs a realm without the admin API for its members");
  return realm.name;
}
