import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedSchemaSource, schemaFile } from "../scripts/openapi-document.ts";

describe("the generated API types", () => {
  it("match what the server's OpenAPI document generates now (run `npm run client:generate` after an API change)", async () => {
    const committed = readFileSync(schemaFile, "utf8");
    const fresh = await generatedSchemaSource();
    expect(fresh.length).toBeGreaterThan(10_000);
    expect(fresh === committed, "packages/client/src/generated/schema.d.ts is stale: run npm run client:generate").toBe(
      true,
    );
    // Boots the whole app in-process and runs openapi-typescript: slow on a loaded 2-core machine.
  }, 120_000);

  it("cover every operation of the document by its operationId", async () => {
    const source = readFileSync(schemaFile, "utf8");
    for (const id of ["userLogin", "adminLogin", "userGetSession", "adminSearchAudit", "getOtpSettings"]) {
      expect(source).toContain(`${id}: {`);
    }
  });
});
