import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { Clock, Mailer } from "@gatehouse/core";
import { MemoryAuditSink, MemoryMailer } from "@gatehouse/core/testing";
import type { FastifyInstance } from "fastify";
import { cliMeta } from "../../src/app/index.ts";
import { fanOutSink } from "../../src/audit/fan-out-sink.ts";
import { loadConfig } from "../../src/config.ts";
import type { Database } from "../../src/db/database.ts";
import { buildApp } from "../../src/http/app.ts";
import type { AppContext } from "../../src/http/context.ts";
import { createLogger } from "../../src/http/logger.ts";
import { buildServices } from "../../src/services.ts";
import { PgAuditStore } from "../../src/stores/pg-audit-store.ts";

export interface TestServer {
  baseUrl: string;
  app: FastifyInstance;
  ctx: AppContext;
  mailer: MemoryMailer;
  audit: MemoryAuditSink;
  /** Every log line the server wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

export const testSessionSecret = "test-session-secret-0123456789-abcdefghijklmnop";

/** A real listening server on an ephemeral port over the given database. */
export async function startTestServer(options: {
  database: Database;
  clock?: Clock;
  env?: Record<string, string>;
  /** Also write events to the real `audit_events` table (they always reach `audit` too). */
  auditTable?: boolean;
  /** The database of that audit table, if not `database` (e.g. an unreachable one, for failure paths). */
  auditDatabase?: Database;
  /** Replaces the MemoryMailer (e.g. the file outbox); `mailer` on the result then stays empty. */
  mailer?: Mailer;
  /** Adds routes (e.g. a test-only authenticated POST) before the server starts listening. */
  beforeListen?: (app: FastifyInstance, ctx: AppContext) => void;
  /** The web app's build directory (default: apps/web/dist when built); null for the placeholder pages. */
  webRoot?: string | null;
}): Promise<TestServer> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({
    NODE_ENV: "test",
    PUBLIC_URL: "http://localhost:3000",
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "gatehouse-test-")),
    ...options.env,
  });
  const logger = createLogger({ level: "debug", destination });
  const mailer = new MemoryMailer();
  const audit = new MemoryAuditSink();
  const ctx = buildServices(config, options.database, {
    sessionSecret: testSessionSecret,
    logger,
    mailer: options.mailer ?? mailer,
    audit: options.auditTable
      ? fanOutSink(new PgAuditStore((options.auditDatabase ?? options.database).db), audit)
      : audit,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const app = await buildApp(ctx, {
    logger,
    ...(options.webRoot !== undefined ? { webRoot: options.webRoot } : {}),
  });
  options.beforeListen?.(app, ctx);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { baseUrl: `http://localhost:${address.port}`, app, ctx, mailer, audit, logs, close: () => app.close() };
}

/**
 * Creates an account directly through the service. An admin-realm account gets `roles` (default
 * `owner`, so it holds every permission; `[]` for none).
 */
export async function createAccount(
  ctx: AppContext,
  realm: string,
  email: string,
  password: string,
  options: { roles?: string[] } = {},
) {
  const principal = await ctx.auth.createPrincipal(realm, { email, password });
  if (ctx.realms.get(realm).adminApi) {
    for (const role of options.roles ?? ["owner"]) {
      await ctx.useCases.roles.grantRoleByName(principal, role, "test", cliMeta);
    }
  }
  return principal;
}
