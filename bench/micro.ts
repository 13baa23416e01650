/**
 * What one authenticated session check is made of, piece by piece: each step of
 * `GET /api/user/auth/session?passive=true` timed on its own, in one process, sequentially (no
 * concurrency, so these are CPU + round-trip costs, not throughput). Pin it for stable numbers:
 *
 *   taskset -c 0 npx tsx bench/micro.ts                   # PGlite (in memory)
 *   DATABASE_URL=postgres://…/fresh_db taskset -c 0 npx tsx bench/micro.ts
 */
import { Writable } from "node:stream";
import { CsrfTokens, parseToken, secretMatches, toPublicPrincipal, toPublicSession } from "@gatehouse/core";
import { eq } from "drizzle-orm";
import { serializerCompiler } from "fastify-type-provider-zod";
import helmet from "helmet";
import pg from "pg";
import { loadConfig } from "../packages/server/src/config.ts";
import { openDatabase } from "../packages/server/src/db/database.ts";
import { sessions } from "../packages/server/src/db/schema/sessions.ts";
import { buildApp } from "../packages/server/src/http/app.ts";
import { createLogger } from "../packages/server/src/http/logger.ts";
import { authenticatedResponse } from "../packages/server/src/http/schemas.ts";
import { securityHeaders } from "../packages/server/src/http/security-headers.ts";
import { buildServices } from "../packages/server/src/services.ts";

/** Mean microseconds per call of `fn` over `iterations` calls, after a warm-up of a tenth as many. */
async function time(iterations: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.ceil(iterations / 10); i += 1) await fn();
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) await fn();
  return ((performance.now() - started) * 1000) / iterations;
}

async function main(): Promise<void> {
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PUBLIC_URL: "http://localhost:3000",
    DATA_DIR: "/tmp/gatehouse-micro",
    DATABASE_URL: process.env.DATABASE_URL,
  });
  const database = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: undefined },
  );
  await database.migrate();
  const silent = createLogger({ level: "silent" });
  const ctx = buildServices(config, database, {
    sessionSecret: "micro-benchmark-secret-0123456789abcdef",
    logger: silent,
  });
  const app = await buildApp(ctx, { logger: silent });
  await app.ready();
  const principal = await ctx.auth.createPrincipal("user", {
    email: `micro-${Date.now()}@example.com`,
    password: "Micro-Password-42",
  });
  const { token, session } = await ctx.sessions.create("user", principal.id, { ip: "127.0.0.1", userAgent: "micro" });
  const cookie = `__Host-user_session=${token}`;
  const parsed = parseToken(token);
  if (!parsed) throw new Error("token");

  const rows: [string, number][] = [];
  const add = (name: string, us: number) => {
    rows.push([name, us]);
    process.stdout.write(`${us.toFixed(1).padStart(9)} µs  ${name}\n`);
  };
  process.stdout.write(`# ${database.dialect}, Node ${process.version}\n`);

  add(
    "whole request through app.inject (GET /api/user/auth/session?passive=true)",
    await time(2000, () =>
      app.inject({ method: "GET", url: "/api/user/auth/session?passive=true", headers: { cookie } }),
    ),
  );
  add("whole request through app.inject, no session (GET /healthz)", await time(2000, () => app.inject("/healthz")));
  add(
    "same route without a cookie (401, no query)",
    await time(2000, () => app.inject({ method: "GET", url: "/api/user/auth/session?passive=true" })),
  );
  add(
    "the route's two lookups back to back (validate + currentPrincipal)",
    await time(2000, async () => {
      const result = await ctx.sessions.validate("user", token, { passive: true });
      if (result.ok) await ctx.useCases.currentPrincipal(result.session);
    }),
  );
  add(
    "SessionService.validate (1 query: session by id)",
    await time(2000, () => ctx.sessions.validate("user", token, { passive: true })),
  );
  add("PrincipalStore.findById (1 query)", await time(2000, () => ctx.principals.findById("user", principal.id)));
  const db = database.db;
  add(
    "drizzle: build the session SELECT only (toSQL, no I/O)",
    await time(20000, () => db.select().from(sessions).where(eq(sessions.id, session.id)).limit(1).toSQL()),
  );
  const built = db.select().from(sessions).where(eq(sessions.id, session.id)).limit(1).toSQL();
  const raw = database.dialect === "postgres" ? rawPostgres(config.databaseUrl as string) : null;
  if (raw) {
    add(
      "node-postgres: the same SELECT, unnamed statement (no drizzle)",
      await time(2000, () => raw.query(built.sql, built.params)),
    );
    add(
      "node-postgres: the same SELECT, named prepared statement (no drizzle)",
      await time(2000, () => raw.query({ name: "micro_by_id", text: built.sql, values: built.params })),
    );
  }
  const prepared = db
    .select()
    .from(sessions)
    .where(eq(sessions.id, session.id))
    .limit(1)
    .prepare("micro_session_by_id");
  add("drizzle: the same SELECT as a prepared query (.prepare)", await time(2000, () => prepared.execute()));
  add(
    "token: parseToken + secretMatches (SHA-256, constant-time)",
    await time(50000, () => secretMatches(parsed.secret, session.secretHash) && parseToken(token)),
  );
  const csrf = new CsrfTokens(Buffer.alloc(32, 7));
  add("CSRF token for the answer (HMAC-SHA256)", await time(50000, () => csrf.tokenFor(session)));
  const serialize = serializerCompiler({ schema: authenticatedResponse, method: "GET", url: "/", httpStatus: "200" });
  const body = {
    principal: toPublicPrincipal(principal),
    session: toPublicSession(session),
    csrfToken: csrf.tokenFor(session),
  };
  add("zod response serialization (authenticatedResponse)", await time(20000, () => serialize(body)));
  add("JSON.stringify of the same body (for scale)", await time(20000, () => JSON.stringify(body)));

  // What @fastify/helmet does on every request (helmet(options) built anew) vs setting precomputed headers.
  const headers = securityHeaders(config.publicUrl);
  const fakeResponse = { setHeader: (_name: string, _value: string) => {}, removeHeader: () => {} };
  const options = {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
    referrerPolicy: { policy: "no-referrer" as const },
    xFrameOptions: { action: "deny" as const },
    strictTransportSecurity: false,
  };
  add(
    "helmet: build the middleware and run it (what @fastify/helmet does per request)",
    await time(20000, () => helmet(options)({} as never, fakeResponse as never, () => {})),
  );
  add(
    "helmet: set the same headers from a precomputed map",
    await time(20000, () => {
      for (const [name, value] of Object.entries(headers)) fakeResponse.setHeader(name, value);
    }),
  );
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const infoLogger = createLogger({ level: "info", destination: sink });
  const fakeRequest = { id: "req-1", method: "GET", url: "/api/user/auth/session?passive=true" };
  add(
    "pino at LOG_LEVEL=info: Fastify's two lines per request (incoming, completed)",
    await time(20000, () => {
      const child = infoLogger.child({ reqId: "req-1" });
      child.info({ req: fakeRequest }, "incoming request");
      child.info({ res: { statusCode: 200 }, responseTime: 1.2 }, "request completed");
    }),
  );
  await raw?.end();
  await app.close();
  await database.close();
}

function rawPostgres(url: string): pg.Pool {
  return new pg.Pool({ connectionString: url, max: 1 });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
