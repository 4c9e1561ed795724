import { existsSync, mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { serve } from "@hono/node-server";
import { createTestApp, type TestApp } from "@oratio/server/testing";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import type { ModelRegistry } from "../../server/src/conversation/models.ts";
import { injectWebSockets } from "../../server/src/voice/websockets.ts";

export const CHROMIUM = process.env.ORATIO_CHROMIUM ?? "/usr/bin/chromium";
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
export const webRoot = path.resolve(import.meta.dirname, "..");
/** The built dashboard; ORATIO_WEB_DIST points elsewhere (a build kept apart from others'). */
export const distDir = process.env.ORATIO_WEB_DIST ?? path.join(webRoot, "dist");
export const screenshotDir = path.join(webRoot, "test-artifacts", "screenshots");
export const fixturesDir = path.resolve(webRoot, "../../fixtures/business");

export const haveChromium = existsSync(CHROMIUM);

/** A real server with the built dashboard, listening on a free port, and a Chromium to drive it. */
export interface Harness {
  testApp: TestApp;
  baseUrl: string;
  browser: Browser;
  /** Requests the pages made to anything but the Oratio server. */
  foreignRequests: string[];
  consoleErrors: string[];
  newPage(options?: { colorScheme?: "light" | "dark"; width?: number; height?: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(options: {
  env?: Record<string, string>;
  models?: ModelRegistry;
}): Promise<Harness> {
  if (!existsSync(path.join(distDir, "index.html"))) {
    throw new Error(`No built dashboard in ${distDir}: run \`npm run build -w @oratio/web\` first.`);
  }
  mkdirSync(screenshotDir, { recursive: true });
  console.log(`Screenshots: ${screenshotDir}`);
  // The app serves the dashboard from ORATIO_DASHBOARD_DIR, as `npm start` does.
  const testApp = await createTestApp(
    { ORATIO_DASHBOARD_DIR: distDir, ...options.env },
    { models: options.models },
  );
  const server = serve({ fetch: testApp.app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  await new Promise((resolve) => server.once("listening", resolve));
  injectWebSockets(testApp.app, server);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const foreignRequests: string[] = [];
  const consoleErrors: string[] = [];
  return {
    testApp,
    baseUrl,
    browser,
    foreignRequests,
    consoleErrors,
    async newPage(o = {}) {
      const context = await browser.newContext({
        viewport: { width: o.width ?? 1280, height: o.height ?? 800 },
        colorScheme: o.colorScheme ?? "light",
      });
      const page = await context.newPage();
      page.on("request", (request) => {
        const url = request.url();
        if (!url.startsWith(baseUrl) && !url.startsWith("data:") && !url.startsWith("blob:"))
          foreignRequests.push(url);
      });
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      // The console names a failed request's status only; this says which request it was.
      page.on("response", (response) => {
        if (response.status() >= 400)
          console.log(
            `HTTP ${response.status()}: ${response.request().method()} ${response.url()} (on ${page.url()})`,
          );
      });
      return page;
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await testApp.close();
    },
  };
}

export async function shot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  // From the top, so the sticky header does not land over the page in a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

export async function expectOneHeading(page: Page, name: string) {
  await page.getByRole("heading", { level: 1, name }).waitFor();
  expect(await page.getByRole("heading", { level: 1 }).count()).toBe(1);
}

export async function signUp(
  page: Page,
  baseUrl: string,
  who: { name: string; email: string; organization: string },
) {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel("Name").fill(who.name);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByLabel("Organization").fill(who.organization);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expectOneHeading(page, "Overview");
}
