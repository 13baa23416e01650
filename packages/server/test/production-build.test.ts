import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { childEnv, repoRoot, spawnChild, stopAllChildren } from "./support/child-process.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";

/**
 * `npm run build` gives plain JavaScript that serves the same API without tsx: the test builds it,
 * starts `node packages/server/dist/main.js` on a fresh database, and signs in with the demo account
 * it printed. On PostgreSQL when DATABASE_URL is set, else on a new PGlite data dir.
 */
const dist = path.join(repoRoot, "packages/server/dist");
const slow = 300_000;
let db: TestDatabase | undefined;
const dirs: string[] = [];
afterAll(async () => {
  await stopAllChildren();
  await db?.drop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function jsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".js"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe("the production build", () => {
  it(
    "builds plain JavaScript and the migrations into packages/server/dist",
    async () => {
      const build = await spawnChild("npm", ["run", "--silent", "build:server"], { env: childEnv({}) }).wait();
      expect(build.stderr).toBe("");
      expect(build.code).toBe(0);
      for (const file of ["main.js", "cli.js", "drizzle/meta/_journal.json"]) {
        expect(fs.existsSync(path.join(dist, file)), file).toBe(true);
      }
      const code = jsFiles(dist).map((file) => fs.readFileSync(file, "utf8"));
      expect(code.length).toBeGreaterThan(1);
      for (const text of code) {
        expect(text).not.toMatch(/from\s*"tsx|import\("tsx/);
        expect(text).not.toMatch(/from\s*"[^"]+\.ts"/); // no TypeScript source left to load
        expect(text).not.toMatch(/from\s*"@gatehouse\//); // our packages are inside the bundle
      }
    },
    slow,
  );

  it(
    "starts with node alone and serves /healthz, /readyz and sign-in",
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-dist-"));
      dirs.push(dataDir);
      const env: Record<string, string> = { DATA_DIR: dataDir, PORT: String(await freePort()), HOST: "127.0.0.1" };
      if (process.env.DATABASE_URL) {
        db = await createTestDatabase();
        env.DATABASE_URL = db.url as string;
        // An empty database: the bundle applies the migrations itself.
        await db.database.db.execute("drop schema public cascade; drop schema if exists drizzle cascade");
        await db.database.db.execute("create schema public");
      }
      const server = spawnChild(process.execPath, [path.join(dist, "main.js")], { env: childEnv(env) });
      await server.waitForOutput(/Gatehouse is listening/, 240_000);
      const base = `http://127.0.0.1:${env.PORT}`;

      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok" });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks.migrations).toBe("ok");

      const password = /user +demo@example\.com +password: (\S+)/.exec(server.stdout())?.[1];
      expect(password).toBeTruthy();
      const login = await fetch(`${base}/api/user/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "demo@example.com", password }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { principal: { email: string } }).principal.email).toBe("demo@example.com");
      expect((await fetch(`${base}/api/openapi.json`)).status).toBe(200);

      const stopped = await server.stop();
      expect(stopped.code).toBe(0); // graceful shutdown on SIGTERM

      const version = await spawnChild(process.execPath, [path.join(dist, "cli.js"), "--version"], {
        env: childEnv({}),
      }).wait();
      expect(version.stdout).toMatch(/^gatehouse \d+\.\d+\.\d+ \(node v/);
    },
    slow,
  );
});
