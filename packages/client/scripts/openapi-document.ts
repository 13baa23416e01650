import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { loadConfig } from "../../server/src/config.ts";
import { openDatabase } from "../../server/src/db/database.ts";
import { buildApp } from "../../server/src/http/app.ts";
import { createLogger } from "../../server/src/http/logger.ts";
import { buildServices } from "../../server/src/services.ts";

/** Where the generated types live (committed; CI regenerates them and fails on a difference). */
export const schemaFile = path.resolve(import.meta.dirname, "../src/generated/schema.d.ts");

/**
 * The server's OpenAPI document, exactly as `GET /api/openapi.json` answers it on the default
 * configuration (user + admin realms, email codes on, cookie names for http://localhost). The app is
 * built in-process over an empty in-memory PGlite and never listens; no request reaches the database.
 */
export async function serverOpenApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-openapi-"));
  const config = loadConfig({ NODE_ENV: "test", PUBLIC_URL: "http://localhost:3000", DATA_DIR: dataDir });
  const database = await openDatabase({ dataDir: undefined });
  const logger = createLogger({ level: "silent" });
  const ctx = buildServices(config, database, { sessionSecret: "openapi-document-".repeat(3), logger });
  const app = await buildApp(ctx, { logger });
  try {
    const response = await app.inject({ method: "GET", url: "/api/openapi.json" });
    if (response.statusCode !== 200) throw new Error(`/api/openapi.json answered ${response.statusCode}`);
    return response.json();
  } finally {
    await app.close();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const banner =
  "/**\n * Generated from the server's /api/openapi.json by `npm run client:generate` (openapi-typescript).\n" +
  " * Do not edit: CI regenerates this file and fails when it differs.\n */\n\n";

/** The TypeScript source openapi-typescript makes of the server's document. */
export async function generatedSchemaSource(): Promise<string> {
  const document = await serverOpenApiDocument();
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return banner + astToString(ast);
}
