import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { webBuildIsStale } from "../../apps/web/scripts/ensure-build.ts";
import { cliMeta } from "../../packages/server/src/app/request-meta.ts";
import { loadConfig } from "../../packages/server/src/config.ts";
import { buildApp } from "../../packages/server/src/http/app.ts";
import type { AppContext } from "../../packages/server/src/http/context.ts";
import { createLogger } from "../../packages/server/src/http/logger.ts";
import { buildServices } from "../../packages/server/src/services.ts";
import { createTestDatabase } from "../../packages/server/test/support/test-database.ts";

/** Debian's Chromium. Never downloaded: when it is missing the browser tests fail (CI installs it). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export const password = "e2e password long enough";
export const userEmail = "ada@example.com";
export const adminEmail = "root@example.com";

/** Screenshots of the run; `E2E_SCREENSHOTS_DIR=docs/screenshots` refreshes the committed ones. */
export const screenshotDir = path.resolve(
  import.meta.dirname,
  "../..",
  process.env.E2E_SCREENSHOTS_DIR ?? "test-results/screenshots",
);

export function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: install it (apt-get install -y chromium); never download one.`,
    );
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/** A free TCP port (PUBLIC_URL must name the real origin, so the port is known before listening). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface E2eServer {
  origin: string;
  ctx: AppContext;
  dataDir: string;
  userId: string;
  adminId: string;
  /** The newest reset link mailed to `email` (from the file outbox under DATA_DIR). */
  resetLink(email: string): string;
  close(): Promise<void>;
}

/**
 * A real Gatehouse server for one test: its own database (PGlite in memory, or a fresh PostgreSQL
 * database when DATABASE_URL is set), its own data dir (file mail outbox), the built web app, the
 * real audit table and mailer, on a free port with PUBLIC_URL set to that origin. One user and one admin.
 */
export async function startE2eServer(env: Record<string, string> = {}): Promise<E2eServer> {
  if (webBuildIsStale()) throw new Error("apps/web/dist is missing or stale (the global setup builds it)");
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-e2e-"));
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: String(port),
    PUBLIC_URL: origin,
    DATA_DIR: dataDir,
    SESSION_SECRET: "e2e-session-secret-0123456789-abcdefghijkl",
    LOG_LEVEL: "warn",
    ...env,
  });
  const db = await createTestDatabase();
  const logger = createLogger({ level: "warn" });
  const ctx = buildServices(config, db.database, { sessionSecret: config.sessionSecret ?? "", logger });
  const app = await buildApp(ctx, { logger });
  await app.listen({ port, host: "localhost" });
  const user = await ctx.auth.createPrincipal("user", { email: userEmail, password, displayName: "Ada" });
  const admin = await ctx.auth.createPrincipal("admin", { email: adminEmail, password });
  // The console's admin holds every permission, as the first admin of a deployment does (owner).
  await ctx.useCases.roles.grantRoleByName(admin, "owner", "e2e", cliMeta);
  return {
    origin,
    ctx,
    dataDir,
    userId: user.id,
    adminId: admin.id,
    resetLink: (email) => {
      const outbox = path.join(dataDir, "outbox");
      const mails = readdirSync(outbox)
        .sort()
        .map((name) =>
          readFileSync(path.join(outbox, name), "utf8")
            .replace(/=\r?\n/g, "")
            .replace(/=3D/g, "="),
        )
        .filter((mail) => mail.includes(email));
      const link = /https?:\/\/[^\s"<>]+\/reset-password\?[^\s"<>]+/.exec(mails.at(-1) ?? "")?.[0];
      if (!link) throw new Error(`no reset link for ${email} in ${outbox}`);
      return link;
    },
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** Signs in through the page's own login form. */
export async function signIn(page: Page, origin: string, realm: "user" | "admin", email: string) {
  await page.goto(`${origin}${realm === "admin" ? "/admin/login" : "/login"}`);
  await page.getByRole("textbox", { name: "Email" }).fill(email);
  await page.locator('input[autocomplete="current-password"]').fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Account menu" }).waitFor();
}

/** Logs out through the header's confirmation dialog. */
export async function logOut(page: Page) {
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  const dialog = page.getByRole("dialog", { name: "Log out?" });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Log out" }).click();
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 800 } });
}

/** The page's session as the server sees it, through the passive call (it never counts as activity). */
export function passiveSession(page: Page, realm: "user" | "admin") {
  return page.evaluate(async (r) => {
    const response = await fetch(`/api/${r}/auth/session?passive=true`);
    return { status: response.status, body: response.ok ? await response.json() : null };
  }, realm);
}

/**
 * The login page's "why you were signed out" text, once it shows. On a timeout the error says where
 * the page is instead (its path, its text, its sessionStorage keys), so a CI failure can be read.
 */
export async function signedOutReason(page: Page, timeout?: number): Promise<string> {
  const reason = page.getByTestId("signed-out-reason");
  try {
    await reason.waitFor({ timeout });
  } catch (error) {
    const where = await page
      .evaluate(() => ({
        path: location.pathname,
        text: (document.body.textContent ?? "").slice(0, 300),
        storage: Object.keys(sessionStorage),
      }))
      .catch(() => "unreadable");
    throw new Error(`no signed-out reason shown: ${JSON.stringify(where)}`, { cause: error });
  }
  return (await reason.textContent()) ?? "";
}
