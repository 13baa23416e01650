import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generatedSchemaSource, schemaFile } from "./openapi-document.ts";

/** `npm run client:generate`: rewrites src/generated/schema.d.ts from the server's OpenAPI document. */
const source = await generatedSchemaSource();
mkdirSync(path.dirname(schemaFile), { recursive: true });
writeFileSync(schemaFile, source);
process.stdout.write(`wrote ${path.relative(process.cwd(), schemaFile)} (${source.length} bytes)\n`);
