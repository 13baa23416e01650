import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminEmail,
  type E2eServer,
  launchChromium,
  logOut,
  newContext,
  passiveSession,
  password,
  screenshotDir,
  signIn,
  startE2eServer,
  userEmail,
} from "./support/harness.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

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

describe("one browser, two realms (seed 002)", { timeout: 120_000 }, () => {
  let server: E2eServer;
  beforeAll(async () => {
    server = await startE2eServer();
  });
  afterAll(async () => {
    await server?.close();
  });

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
    await userTab.getByTestId("signed-out-reason").waitFor();
    expect(await userTab.getByTestId("signed-out-reason").textContent()).toContain("You signed out.");
    // The admin tab still works after a reload and can act.
    await adminTab.reload();
    await adminTab.getByRole("link", { name: "Principals" }).click();
    await adminTab.getByRole("button", { name: `Disable ${bystander.email}` }).click();
    await adminTab.getByRole("button", { name: `Enable ${bystander.email}` }).waitFor();
    expect((await passiveSession(adminTab, "admin")).status).toBe(200);

    // The reverse: the admin logs out; the user tab keeps working and can act.
    await signIn(userTab, server.origin, "user", userEmail);
    await logOut(adminTab);
    await adminTab.getByTestId("signed-out-reason").waitFor();
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
});
