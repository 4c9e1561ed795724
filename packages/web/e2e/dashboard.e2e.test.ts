import { existsSync, mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { serve } from "@hono/node-server";
import { createTestApp, type TestApp } from "@oratio/server/testing";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Not a package export yet: the server wires the dashboard in itself.
import { mountDashboard } from "@oratio/server/dashboard";

const CHROMIUM = process.env.ORATIO_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const webRoot = path.resolve(import.meta.dirname, "..");
const distDir = path.join(webRoot, "dist");
const screenshotDir = path.join(webRoot, "test-artifacts", "screenshots");

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(
    `Skipping the dashboard browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium).`,
  );
}

describe.skipIf(!haveChromium)("dashboard in a browser", () => {
  let testApp: TestApp;
  let server: ReturnType<typeof serve>;
  let baseUrl: string;
  let browser: Browser;
  /** Requests the pages made to anything but the Oratio server. */
  const foreignRequests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(distDir, "index.html"))) {
      throw new Error(`No built dashboard in ${distDir}: run \`npm run build -w @oratio/web\` first.`);
    }
    mkdirSync(screenshotDir, { recursive: true });
    console.log(`Screenshots: ${screenshotDir}`);
    testApp = await createTestApp();
    mountDashboard(testApp.app, distDir);
    server = serve({ fetch: testApp.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await testApp?.close();
  });

  async function newPage(options: { colorScheme?: "light" | "dark"; width?: number; height?: number } = {}) {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      colorScheme: options.colorScheme ?? "light",
    });
    const page = await context.newPage();
    page.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith(baseUrl) && !url.startsWith("data:")) foreignRequests.push(url);
    });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    return page;
  }

  async function shot(page: Page, name: string) {
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  }

  async function expectOneHeading(page: Page, name: string) {
    await page.getByRole("heading", { level: 1, name }).waitFor();
    expect(await page.getByRole("heading", { level: 1 }).count()).toBe(1);
  }

  it("signs up, creates an API key that works, revokes it, and renders every page in light and dark", async () => {
    const page = await newPage();
    const email = `e2e-${Date.now()}@example.com`;

    await page.goto(`${baseUrl}/sign-up`);
    await expectOneHeading(page, "Create your account");
    await shot(page, "sign-up-light");
    await page.getByLabel("Name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByLabel("Organization").fill("Lovelace Dental");
    await page.getByRole("button", { name: "Sign up" }).click();

    await expectOneHeading(page, "Members");
    await page.getByRole("table", { name: "Members of Lovelace Dental" }).waitFor();
    await shot(page, "members-light");

    // Invite someone, to show the link dialog and the pending list.
    await page.getByRole("button", { name: "Invite member" }).click();
    await page.getByRole("dialog").getByLabel("Email").fill("grace@example.com");
    await page.getByRole("dialog").getByLabel("Role").selectOption("viewer");
    await page.getByRole("button", { name: "Send invitation" }).click();
    const invitationLink = await page.getByLabel("Invitation link").inputValue();
    await shot(page, "members-invitation-link-light");
    await page.getByRole("button", { name: "Done" }).click();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
    await expectOneHeading(page, "API keys");
    await page.getByText("No API keys yet").waitFor();
    await shot(page, "api-keys-empty-light");

    await page.getByRole("button", { name: "Create API key" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("Website widget");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = await page.getByLabel("Secret key for “Website widget”").inputValue();
    expect(secret).toMatch(/^ora_/);
    await shot(page, "api-keys-secret-light");
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("table", { name: "Active API keys" }).getByText("Website widget").waitFor();
    expect(await page.getByText(secret).count()).toBe(0);
    await shot(page, "api-keys-list-light");

    const withKey = await fetch(`${baseUrl}/api/v1/organization`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(withKey.status).toBe(200);
    expect(((await withKey.json()) as { name: string }).name).toBe("Lovelace Dental");

    await page.getByRole("button", { name: "Revoke Website widget" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
    await page.getByText("No API keys yet").waitFor();
    const afterRevoke = await fetch(`${baseUrl}/api/v1/organization`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(afterRevoke.status).toBe(401);

    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Organization settings" })
      .click();
    await expectOneHeading(page, "Organization settings");
    await page.getByLabel("Organization name").waitFor();
    await shot(page, "organization-settings-light");

    // The theme toggle overrides the system preference.
    await page.getByRole("button", { name: "Theme" }).click();
    await page.getByRole("menuitemradio", { name: "Dark" }).click();
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
    await page.getByRole("button", { name: "Theme" }).click();
    await page.getByRole("menuitemradio", { name: "System" }).click();
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(false);

    // A reload on a client-side route gets the app again (SPA fallback), still signed in.
    await page.reload();
    await expectOneHeading(page, "Organization settings");

    // The same pages in dark mode, following the system preference.
    await page.emulateMedia({ colorScheme: "dark" });
    for (const [route, heading, ready, name] of [
      ["/members", "Members", "Pending invitations", "members-dark"],
      ["/api-keys", "API keys", "No API keys yet", "api-keys-empty-dark"],
      ["/settings/organization", "Organization settings", "Your role: owner", "organization-settings-dark"],
    ] as const) {
      await page.goto(`${baseUrl}${route}`);
      await expectOneHeading(page, heading);
      await page.getByText(ready).first().waitFor();
      await shot(page, name);
    }
    await page.goto(`${baseUrl}/api-keys`);
    await page.getByRole("button", { name: "Create API key" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("Phone line");
    await page.getByRole("button", { name: "Create key" }).click();
    await page.getByLabel("Secret key for “Phone line”").waitFor();
    await shot(page, "api-keys-secret-dark");
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("table", { name: "Active API keys" }).getByText("Phone line").waitFor();
    await shot(page, "api-keys-list-dark");

    // On a phone: the sidebar becomes a menu.
    const phone = await newPage({ width: 390, height: 844 });
    await phone.goto(`${baseUrl}/sign-in`);
    await phone.getByLabel("Email").fill(email);
    await phone.getByLabel("Password").fill("correct horse battery staple");
    await phone.getByRole("button", { name: "Sign in" }).click();
    await expectOneHeading(phone, "Members");
    await shot(phone, "members-phone-light");
    await phone.getByRole("button", { name: "Open menu" }).click();
    await phone.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).waitFor();
    await shot(phone, "menu-phone-light");

    // Sign out, then the signed-out pages in both themes.
    await page.getByRole("button", { name: "Account: Ada Lovelace" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expectOneHeading(page, "Sign in to Oratio");
    await shot(page, "sign-in-dark");
    await page.goto(invitationLink);
    await expectOneHeading(page, "Join Lovelace Dental");
    await shot(page, "accept-invitation-dark");
    await page.emulateMedia({ colorScheme: "light" });
    await shot(page, "accept-invitation-light");
    await page.goto(`${baseUrl}/sign-in`);
    await expectOneHeading(page, "Sign in to Oratio");
    await shot(page, "sign-in-light");
    await page.goto(`${baseUrl}/sign-up`);
    await page.emulateMedia({ colorScheme: "dark" });
    await shot(page, "sign-up-dark");

    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
