import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedModels } from "../../server/test/scripted-models.ts";
import {
  CHROMIUM,
  expectOneHeading,
  fixturesDir,
  type Harness,
  haveChromium,
  shot,
  startHarness,
} from "./harness.ts";

const handbookPdf = path.join(fixturesDir, "handbook.pdf");

if (!haveChromium) {
  console.warn(
    `Skipping the dashboard browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium).`,
  );
}

describe.skipIf(!haveChromium)("dashboard in a browser", () => {
  let h: Harness;
  let baseUrl: string;
  // Agents' models answer from a script, so conversations run through the real server offline.
  const models = new ScriptedModels();

  beforeAll(async () => {
    h = await startHarness({ models });
    baseUrl = h.baseUrl;
  });

  afterAll(async () => {
    await h?.close();
  });

  const newPage = (options?: Parameters<Harness["newPage"]>[0]) => h.newPage(options);

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

    await expectOneHeading(page, "Overview");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
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
    await expectOneHeading(phone, "Overview");
    await phone.goto(`${baseUrl}/members`);
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

    expect(h.foreignRequests).toEqual([]);
    expect(h.consoleErrors).toEqual([]);
  });
  it("builds a knowledge base and an agent, chats with a cited answer, and watches the session live", async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}/sign-up`);
    await page.getByLabel("Name").fill("Grace Hopper");
    await page.getByLabel("Email").fill(`e2e-agents-${Date.now()}@example.com`);
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByLabel("Organization").fill("Harborview Dental");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expectOneHeading(page, "Overview");
    await page.getByText("No sessions in this period").waitFor();
    await shot(page, "overview-empty-light");
    const nav = page.getByRole("navigation", { name: "Main" });

    // Knowledge: create a base and upload the handbook; the job stream reports progress.
    await nav.getByRole("link", { name: "Knowledge" }).click();
    await expectOneHeading(page, "Knowledge");
    await page.getByText("No knowledge bases yet").waitFor();
    await shot(page, "knowledge-empty-light");
    await page.getByRole("button", { name: "Create knowledge base" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("Patient handbook");
    await page.getByRole("dialog").getByRole("button", { name: "Create" }).click();
    await page.getByRole("link", { name: "Patient handbook" }).click();
    await expectOneHeading(page, "Patient handbook");
    await page.getByLabel("Upload documents").setInputFiles(handbookPdf);
    await page.getByRole("progressbar", { name: "Upload progress" }).waitFor();
    const documents = page.getByRole("table", { name: "Documents" });
    await documents.getByText("ready").waitFor({ timeout: 60_000 });
    await page
      .getByLabel("Search this knowledge base")
      .first()
      .fill("can I drink through a straw after an extraction");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByRole("list", { name: "Search results" }).locator("mark").first().waitFor();
    await shot(page, "knowledge-base-light");

    // Agents: create one that answers from the handbook.
    await nav.getByRole("link", { name: "Agents" }).click();
    await expectOneHeading(page, "Agents");
    await page.getByText("No agents yet").waitFor();
    await page.getByRole("link", { name: "Create agent" }).click();
    await expectOneHeading(page, "Create agent");
    // The wizard is the default; this agent is written by hand.
    await page.getByRole("link", { name: "Start from scratch" }).click();
    await expectOneHeading(page, "Create agent from scratch");
    await page.getByLabel("Name", { exact: true }).fill("Front Desk");
    await page
      .getByLabel("Instructions")
      .fill(
        "# Role\nYou are the front desk of **Harborview Dental**.\n\n- Answer from the handbook\n- Cite sources",
      );
    await page.getByRole("button", { name: "Preview instructions" }).click();
    await page.getByRole("region", { name: "Instructions preview" }).getByText("Harborview Dental").waitFor();
    await page.getByRole("button", { name: "Edit instructions" }).click();
    await page.getByLabel("Greeting").fill("Hi, Harborview Dental! How can I help?");
    await page.getByLabel("Model name").fill("front-desk-model");
    await page.getByLabel("Patient handbook").check();
    await shot(page, "agent-create-light");
    await page.getByRole("button", { name: "Create agent" }).click();
    await expectOneHeading(page, "Front Desk");
    await page.getByRole("tab", { name: "Playground", selected: true }).waitFor();

    // Sessions, open in a second tab before the conversation starts: it must appear live.
    const watcher = await page.context().newPage();
    await watcher.goto(`${baseUrl}/sessions`);
    await expectOneHeading(watcher, "Sessions");
    await watcher.getByText("No sessions match").waitFor();
    await watcher.getByText("Live: new conversations appear as they start.").waitFor();

    models.model("front-desk-model").push(
      {
        toolCalls: [{ name: "search_knowledge", args: { query: "drink through a straw after extraction" } }],
      },
      { text: ["Please don't use a straw ", "for the first few days after an extraction."] },
    );
    await page.getByLabel("Message").fill("Can I drink through a straw after my tooth was pulled?");
    await page.getByRole("button", { name: "Send message" }).click();
    const reply = page.getByRole("article", { name: "Reply from front-desk" }).last();
    await reply.getByText("for the first few days after an extraction.").waitFor();
    await reply.getByText("Sources").waitFor();
    expect(await reply.getByRole("listitem").count()).toBeGreaterThan(0);
    await page.getByText("Called search_knowledge").first().waitFor();
    await shot(page, "agent-playground-light");

    const row = watcher.getByRole("table", { name: "Sessions" }).getByRole("row").nth(1);
    await row.getByText("Front Desk").waitFor();
    await shot(watcher, "sessions-light");
    await row.getByRole("link").click();
    await expectOneHeading(watcher, "Session with front-desk");
    const transcript = watcher.getByRole("list", { name: "Transcript" });
    await transcript.getByText("Can I drink through a straw after my tooth was pulled?").waitFor();
    await transcript.getByText("Called search_knowledge").first().waitFor();
    await transcript
      .getByText(/^Turn: /)
      .first()
      .waitFor();
    await transcript.getByText("Sources").first().waitFor();

    // An operator takes over, writes, and hands the conversation back.
    await watcher.getByRole("button", { name: "Take over" }).click();
    await watcher
      .getByLabel("Message the customer as an operator")
      .fill("Hi, this is Dana from the front desk.");
    await watcher.getByRole("button", { name: "Send as operator" }).click();
    await transcript.getByText("Hi, this is Dana from the front desk.").waitFor();
    await shot(watcher, "session-detail-light");
    await watcher.getByRole("button", { name: "Hand back to agent" }).click();
    await watcher.getByRole("button", { name: "Take over" }).waitFor();
    await watcher.close();

    // Configuration, versions and the handoff map.
    await page.getByRole("tab", { name: "Configuration" }).click();
    await page.getByLabel("Maximum turns").fill("40");
    await page.getByRole("button", { name: "Save as new version" }).click();
    await page.getByText("Saved as v2.").waitFor();
    await shot(page, "agent-configuration-light");
    await page.getByRole("tab", { name: "Versions" }).click();
    await page.getByRole("table", { name: "Changes from v1 to v2" }).getByText("limits.maxTurns").waitFor();
    await shot(page, "agent-versions-light");

    await nav.getByRole("link", { name: "Model providers" }).click();
    await expectOneHeading(page, "Model providers");
    await page.getByLabel("Name").fill("OpenAI production");
    await page.getByLabel("API key").fill("sk-test-not-a-real-key");
    await page.getByRole("button", { name: "Add provider" }).click();
    await page.getByRole("list", { name: "Providers" }).getByText("OpenAI production").waitFor();
    expect(await page.getByText("sk-test-not-a-real-key").count()).toBe(0);
    await shot(page, "providers-light");

    await nav.getByRole("link", { name: "Overview" }).click();
    await expectOneHeading(page, "Overview");
    await page.getByRole("figure", { name: "Sessions per day by channel" }).locator("svg").first().waitFor();
    await page.getByText("No voice calls yet.").waitFor();
    await shot(page, "overview-light");
    await nav.getByRole("link", { name: "Agents" }).click();
    await page.getByRole("img", { name: /Handoff graph/ }).waitFor();
    await shot(page, "agents-light");
    await nav.getByRole("link", { name: "Notifications" }).click();
    await expectOneHeading(page, "Notifications");
    await shot(page, "notifications-light");

    // Every main page in dark mode.
    await page.emulateMedia({ colorScheme: "dark" });
    for (const [route, heading, name] of [
      ["/", "Overview", "overview-dark"],
      ["/agents", "Agents", "agents-dark"],
      ["/knowledge", "Knowledge", "knowledge-dark"],
      ["/sessions", "Sessions", "sessions-dark"],
      ["/notifications", "Notifications", "notifications-dark"],
      ["/settings/providers", "Model providers", "providers-dark"],
      ["/settings/phone-numbers", "Phone numbers", "phone-numbers-dark"],
    ] as const) {
      await page.goto(`${baseUrl}${route}`);
      await expectOneHeading(page, heading);
      await page
        .getByRole("status")
        .first()
        .waitFor({ state: "detached" })
        .catch(() => undefined);
      // The charts' library arrives after the page (its own chunk).
      if (route === "/")
        await page
          .getByRole("figure", { name: "Sessions per day by channel" })
          .locator("svg")
          .first()
          .waitFor();
      await shot(page, name);
    }
    await page.goto(`${baseUrl}/agents`);
    await page.getByRole("link", { name: "Front Desk" }).click();
    await page.getByRole("tab", { name: "Playground" }).click();
    await page.getByText("Hi, Harborview Dental! How can I help?").waitFor();
    await shot(page, "agent-playground-dark");
    await page.goto(`${baseUrl}/knowledge`);
    await page.getByRole("link", { name: "Patient handbook" }).click();
    await page.getByRole("table", { name: "Documents" }).waitFor();
    await shot(page, "knowledge-base-dark");
    await page.goto(`${baseUrl}/sessions`);
    await page.getByRole("table", { name: "Sessions" }).getByRole("link").first().click();
    await page.getByRole("list", { name: "Transcript" }).waitFor();
    await shot(page, "session-detail-dark");

    models.assertDone();
    expect(h.foreignRequests).toEqual([]);
    expect(h.consoleErrors).toEqual([]);
  });
});
