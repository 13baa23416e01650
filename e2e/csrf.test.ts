import { createServer, type Server } from "node:http";
import type { Browser, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminEmail,
  type E2eServer,
  freePort,
  launchChromium,
  newContext,
  passiveSession,
  password,
  signIn,
  startE2eServer,
  userEmail,
} from "./support/harness.ts";

let browser: Browser;
let server: E2eServer;
let attacker: Server;
let attackerOrigin: string;

/** Another local origin (127.0.0.1, a different site from localhost) serving self-submitting forms. */
async function startAttacker(target: string) {
  const port = await freePort();
  attacker = createServer((request, response) => {
    const action = new URL(request.url ?? "/", "http://x").searchParams.get("action") ?? "";
    response.setHeader("content-type", "text/html");
    response.end(
      `<!doctype html><form id="f" method="POST" action="${target}${action}"><input name="x" value="1"></form>` +
        `<script>document.getElementById("f").submit()</script>`,
    );
  });
  await new Promise<void>((resolve) => attacker.listen(port, "127.0.0.1", resolve));
  attackerOrigin = `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  browser = await launchChromium();
  server = await startE2eServer();
  await startAttacker(server.origin);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => attacker?.close(resolve));
}, 60_000);

describe("CSRF in the browser", { timeout: 180_000 }, () => {
  it("refuses a forged cross-site form POST from another local origin; the app's own actions succeed", async () => {
    const context = await newContext(browser);
    const userTab = await context.newPage();
    const adminTab = await context.newPage();
    await signIn(userTab, server.origin, "user", userEmail);
    await signIn(adminTab, server.origin, "admin", adminEmail);
    // A second user session elsewhere (another device), which a forged "sign out other devices" would end.
    const other = await fetch(`${server.origin}/api/user/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.origin },
      body: JSON.stringify({ email: userEmail, password }),
    });
    expect(other.status).toBe(200);
    const sessionsNow = () => server.ctx.sessions.listForPrincipal("user", server.userId);
    expect(await sessionsNow()).toHaveLength(2);

    for (const action of ["/api/user/sessions/revoke-others", "/api/admin/auth/logout", "/api/user/auth/logout"]) {
      const evil = await context.newPage();
      const answer = evil.waitForResponse((r) => r.url() === `${server.origin}${action}`);
      await evil.goto(`${attackerOrigin}/?action=${encodeURIComponent(action)}`);
      const response = await answer;
      expect(response.status()).toBe(403);
      expect(await response.text()).toContain("cross_site_request");
      await evil.close();
    }
    // Nothing happened: both realms are signed in, the other device too.
    expect(await sessionsNow()).toHaveLength(2);
    expect((await passiveSession(userTab, "user")).status).toBe(200);
    expect((await passiveSession(adminTab, "admin")).status).toBe(200);

    // The same action from the app itself succeeds.
    await userTab.goto(`${server.origin}/security`);
    await userTab.getByRole("button", { name: "Sign out other devices" }).click();
    await userTab.getByText("Signed out 1 other session(s).").waitFor();
    expect(await sessionsNow()).toHaveLength(1);
    await context.close();
  });

  it("after a token change, many concurrent unsafe requests cause exactly one refresh", async () => {
    const context = await newContext(browser);
    const tabA = await context.newPage();
    const tabB = await context.newPage();
    await signIn(tabA, server.origin, "user", userEmail);
    await tabB.goto(`${server.origin}/security`);
    // Tab B changes the password: the session (cookie, shared by both tabs) and its CSRF token rotate.
    await tabB.locator('input[autocomplete="current-password"]').fill(password);
    await tabB.locator('input[autocomplete="new-password"]').nth(0).fill("rotated password long enough");
    await tabB.locator('input[autocomplete="new-password"]').nth(1).fill("rotated password long enough");
    await tabB.getByRole("button", { name: "Change password" }).click();
    await tabB.getByText("Password changed.").waitFor();

    const seen: Response[] = [];
    tabA.on("response", (response) => seen.push(response));
    // Tab A still holds the old token: 12 unsafe calls at once through the page's own CSRF manager.
    const statuses = await tabA.evaluate(async () => {
      const kit = window.__gatehouse;
      if (!kit) throw new Error("no kit");
      return Promise.all(
        Array.from({ length: 12 }, () => kit.fetch("user", "/api/user/sessions/revoke-others", { method: "POST" })),
      );
    });
    expect(statuses).toEqual(Array(12).fill(200));
    const refreshes = seen.filter((r) => r.url().endsWith("/api/user/auth/session?passive=true"));
    expect(refreshes).toHaveLength(1);
    const posts = seen.filter((r) => r.url().endsWith("/api/user/sessions/revoke-others"));
    expect(posts.filter((r) => r.status() === 403)).toHaveLength(12);
    expect(posts.filter((r) => r.status() === 200)).toHaveLength(12);
    for (const refused of posts.filter((r) => r.status() === 403)) {
      expect(await refused.text()).toContain("csrf_token_invalid");
    }
    await context.close();
  });
});
