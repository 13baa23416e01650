import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  adminEmail,
  type E2eServer,
  launchChromium,
  logOut,
  newContext,
  passiveSession,
  password,
  screenshotDir,
  signedOutReason,
  signIn,
  startE2eServer,
  userEmail,
} from "./support/harness.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(screenshotDir, { recursive: true });
}, 180_000);
afterAll(async () => {
  await browser?.close();
}, 60_000);

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });

/** Every page error and CSP violation, so a broken bundle or a blocked style fails the test. */
function watchErrors(page: Page, errors: string[]) {
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 40[13]/.test(message.text()))
      errors.push(`console: ${message.text()}`);
  });
}

describe("one browser, two realms (seed 002)", { timeout: 180_000 }, () => {
  let server: E2eServer;
  beforeEach(async () => {
    server = await startE2eServer();
  }, 180_000);
  afterEach(async () => {
    await server?.close();
  }, 60_000);

  it("a user logout leaves the admin tab working, and the reverse", async () => {
    const context = await newContext(browser);
    const errors: string[] = [];
    const userTab = await context.newPage();
    const adminTab = await context.newPage();
    watchErrors(userTab, errors);
    watchErrors(adminTab, errors);
    const bystander = await server.ctx.auth.createPrincipal("user", { email: "bystander@example.com", password });

    await signIn(userTab, server.origin, "user", userEmail);
    await expect(userTab.getByRole("heading", { name: "Welcome, Ada" }).isVisible()).resolves.toBe(true);
    await shot(userTab, "user-dashboard");
    await signIn(adminTab, server.origin, "admin", adminEmail);
    await adminTab.getByTestId("active-user").waitFor();
    await shot(adminTab, "admin-overview");

    // The user logs out, through the confirmation.
    await logOut(userTab);
    expect(await signedOutReason(userTab)).toContain("You signed out.");
    // The admin tab still works after a reload and can act.
    await adminTab.reload();
    await adminTab.getByRole("link", { name: "Principals" }).click();
    await adminTab.getByRole("button", { name: `Disable ${bystander.email}` }).click();
    await adminTab.getByRole("button", { name: `Enable ${bystander.email}` }).waitFor();
    expect((await passiveSession(adminTab, "admin")).status).toBe(200);

    // The reverse: the admin logs out; the user tab keeps working and can act.
    await signIn(userTab, server.origin, "user", userEmail);
    await logOut(adminTab);
    await signedOutReason(adminTab);
    expect(adminTab.url()).toBe(`${server.origin}/admin/login`);
    await userTab.reload();
    await userTab.getByRole("link", { name: "Security" }).first().click();
    await userTab.getByTestId("session-row").first().waitFor();
    await shot(userTab, "user-security");
    await userTab.getByLabel("Current password").fill(password);
    await userTab.locator('input[autocomplete="new-password"]').nth(0).fill("a new long password 2");
    await userTab.locator('input[autocomplete="new-password"]').nth(1).fill("a new long password 2");
    await userTab.getByRole("button", { name: "Change password" }).click();
    await userTab.getByText("Password changed. Your other devices were signed out.").waitFor();
    expect((await passiveSession(userTab, "user")).status).toBe(200);
    expect((await passiveSession(adminTab, "admin")).status).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a password reset completed in the user realm leaves the admin tab unaffected", async () => {
    const context = await newContext(browser);
    const errors: string[] = [];
    const userTab = await context.newPage();
    const adminTab = await context.newPage();
    watchErrors(userTab, errors);
    watchErrors(adminTab, errors);
    await signIn(adminTab, server.origin, "admin", adminEmail);
    await signIn(userTab, server.origin, "user", userEmail);

    // The reset page in a third tab; the link is read from the server's mail outbox.
    const resetTab = await context.newPage();
    watchErrors(resetTab, errors);
    // (Its login page would go straight to the dashboard: this browser is signed in to the user realm.)
    await resetTab.goto(`${server.origin}/reset-password?realm=user`);
    await resetTab.getByRole("textbox", { name: "Email" }).fill(userEmail);
    await resetTab.getByRole("button", { name: "Email me a link" }).click();
    await resetTab.getByText("If an account exists for that address").waitFor();
    const link = server.resetLink(userEmail);
    expect(link.startsWith(`${server.origin}/reset-password?realm=user&token=`)).toBe(true);
    await resetTab.goto(link);
    await resetTab.locator('input[autocomplete="new-password"]').nth(0).fill("reset password long enough");
    await resetTab.locator('input[autocomplete="new-password"]').nth(1).fill("reset password long enough");
    await resetTab.getByRole("button", { name: "Change password" }).click();
    await resetTab.getByText("every session of this account was signed out").waitFor();

    // Every user session ended; the admin tab works on after a reload and can act.
    expect((await passiveSession(userTab, "user")).status).toBe(401);
    await adminTab.reload();
    await adminTab.getByRole("link", { name: "Sessions" }).click();
    await adminTab.getByTestId("active-session-row").first().waitFor();
    await shot(adminTab, "admin-sessions");
    await adminTab.getByRole("link", { name: "Audit log" }).click();
    await adminTab.getByTestId("audit-row").first().waitFor();
    expect(await adminTab.getByText("password_reset_completed").count()).toBeGreaterThan(0);
    await shot(adminTab, "admin-audit");
    const csv = await adminTab.evaluate(async () =>
      (await fetch("/api/admin/audit.csv?type=password_reset_completed")).text(),
    );
    expect(csv).toContain("password_reset_completed");
    expect((await passiveSession(adminTab, "admin")).status).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a logout in one admin tab shows in the other admin tab within 2 s; the user tab is untouched", async () => {
    const context = await newContext(browser);
    const errors: string[] = [];
    const adminA = await context.newPage();
    const adminB = await context.newPage();
    const userTab = await context.newPage();
    for (const page of [adminA, adminB, userTab]) watchErrors(page, errors);
    await signIn(adminA, server.origin, "admin", adminEmail);
    await adminB.goto(`${server.origin}/admin/principals`);
    await adminB.getByTestId("principal-row").first().waitFor();
    await signIn(userTab, server.origin, "user", userEmail);
    await userTab.goto(`${server.origin}/security`);
    await userTab.getByTestId("session-row").first().waitFor();

    // Timed from the server's answer to the logout: no reload, the realm channel carries it.
    const loggedOut = adminA
      .waitForResponse((r) => r.url().endsWith("/api/admin/auth/logout"))
      .then((response) => ({ status: response.status(), at: Date.now() }));
    await logOut(adminA);
    const { status, at } = await loggedOut;
    expect(status).toBe(204);
    const reason = await signedOutReason(adminB, 2_000);
    expect(Date.now() - at).toBeLessThan(2_000);
    expect(reason).toContain("another tab");
    expect(new URL(adminB.url()).pathname).toBe("/admin/login");
    // The user tab did not move, and is still signed in on the server and after a reload.
    expect(new URL(userTab.url()).pathname).toBe("/security");
    expect(await userTab.getByTestId("session-row").count()).toBeGreaterThan(0);
    await userTab.reload();
    await userTab.getByTestId("session-row").first().waitFor();
    expect((await passiveSession(userTab, "user")).status).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });
});
