import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { startTestServer, type TestServer } from "./support/test-server.ts";

const indexHtml =
  '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/app-1.js"></script></body></html>';

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "gatehouse-web-"));
  mkdirSync(path.join(root, "assets"));
  writeFileSync(path.join(root, "index.html"), indexHtml);
  writeFileSync(path.join(root, "assets/app-1.js"), "console.log(1)");
  writeFileSync(path.join(root, "favicon.svg"), "<svg/>");
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database, webRoot: root });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const get = (url: string, accept = "text/html") => fetch(`${server.baseUrl}${url}`, { headers: { accept } });

describe("the web app on the API's origin", () => {
  it("serves index.html for / and /admin and for any page path a browser navigates to", async () => {
    for (const url of ["/", "/admin", "/security", "/admin/audit?realm=user", "/reset-password?realm=user&token=x"]) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(await response.text()).toBe(indexHtml);
      expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    }
  });

  it("serves the hashed assets with a long cache and the root files", async () => {
    const asset = await get("/assets/app-1.js", "*/*");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(await asset.text()).toBe("console.log(1)");
    expect((await get("/favicon.svg", "*/*")).status).toBe(200);
  });

  it("keeps API misses, missing assets, non-HTML asks and other methods JSON errors", async () => {
    for (const [url, accept] of [
      ["/api/nothing", "text/html"],
      ["/api/user/nothing", "application/json"],
      ["/assets/missing.js", "text/html"],
      ["/security", "application/json"],
    ] as const) {
      const response = await get(url, accept);
      expect(response.status, url).toBe(404);
      expect((await response.json()).error.code).toBe("not_found");
    }
    const post = await fetch(`${server.baseUrl}/security`, { method: "POST", headers: { accept: "text/html" } });
    expect(post.status).toBe(404);
    expect((await post.json()).error.code).toBe("not_found");
  });
});
