import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminEmail,
  type E2eServer,
  launchChromium,
  newContext,
  passiveSession,
  signedOutReason,
  signIn,
  startE2eServer,
  userEmail,
} from "./support/harness.ts";

const idleSeconds = 12;
let browser: Browser;
let server: E2eServer;
beforeAll(async () => {
  browser = await launchChromium();
  server = await startE2eServer({ ADMIN_IDLE_TIMEOUT_SECONDS: String(idleSeconds) });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

describe("the admin idle timeout in the page (seed 004)", { timeout: 180_000 }, () => {
  it("warns, extends on 'Stay signed in', then signs out with the reason; the user realm is unaffected", async () => {
    const context = await newContext(browser);
    const userTab = await context.newPage();
    const adminTab = await context.newPage();
    await signIn(userTab, server.origin, "user", userEmail);
    await signIn(adminTab, server.origin, "admin", adminEmail);
    const before = (await passiveSession(adminTab, "admin")).body.session.idleExpiresAt as string;

    // No activity: the warning with its countdown appears before the end.
    const warning = adminTab.getByRole("dialog", { name: "Are you still there?" });
    await warning.waitFor({ timeout: idleSeconds * 1000 });
    expect(await warning.textContent()).toMatch(/signed out in \d+ seconds/);
    expect(Date.parse(before) - Date.now()).toBeGreaterThan(0);

    await warning.getByRole("button", { name: "Stay signed in" }).click();
    await warning.waitFor({ state: "hidden" });
    const after = (await passiveSession(adminTab, "admin")).body.session.idleExpiresAt as string;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));

    // Inactivity again: the page signs itself out and says why.
    expect(await signedOutReason(adminTab, (idleSeconds + 5) * 1000)).toContain("inactivity");
    expect(new URL(adminTab.url()).pathname).toBe("/admin/login");
    expect((await passiveSession(adminTab, "admin")).status).toBe(401);
    // The user realm is unaffected.
    expect(new URL(userTab.url()).pathname).toBe("/");
    expect((await passiveSession(userTab, "user")).status).toBe(200);
    await userTab.reload();
    await userTab.getByRole("heading", { name: "Welcome, Ada" }).waitFor();
    await context.close();
  });
});
