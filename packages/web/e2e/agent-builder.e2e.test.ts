import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { PcmChunk } from "@oratio/core/speech";
import { type FixtureServer, startFixtureServer } from "@oratio/knowledge/testing";
import { createClient, memoryTokenStore } from "@oratio/sdk";
import { concatPcm16, createFliteTextToSpeech } from "@oratio/speech";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { ScriptedBuilderModels } from "../../server/test/scripted-models.ts";
import { HAVE_POCKETSPHINX, placeCall, type VoiceEvent } from "../test/voice-call.ts";
import {
  CHROMIUM,
  expectOneHeading,
  fixturesDir,
  type Harness,
  haveChromium,
  screenshotDir,
  shot,
  signUp,
  startHarness,
} from "./harness.ts";

if (!haveChromium) {
  console.warn(
    `Skipping the agent builder browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium).`,
  );
}
if (!HAVE_POCKETSPHINX) {
  console.warn(
    "Skipping the recording playback browser test: pocketsphinx missing (apt-get install pocketsphinx).",
  );
}

const PASSWORD = "correct horse battery staple";
const FILES = [
  { name: "handbook.pdf", mime: "application/pdf" },
  { name: "policies.docx", mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
  { name: "price-list.csv", mime: "text/csv" },
];

/** Drops fixture files on an element the way a file manager would (a real DataTransfer). */
async function dropFiles(page: Page, target: Locator, files: { name: string; mime: string }[]) {
  const payload = files.map((f) => ({
    ...f,
    data: readFileSync(path.join(fixturesDir, f.name)).toString("base64"),
  }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const transfer = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.data), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], item.name, { type: item.mime }));
    }
    return transfer;
  }, payload);
  await target.dispatchEvent("dragover", { dataTransfer });
  await target.dispatchEvent("drop", { dataTransfer });
}

async function synthesize(text: string): Promise<Int16Array> {
  const tts = createFliteTextToSpeech({ voice: "kal16" });
  const parts: Int16Array[] = [];
  for await (const chunk of tts.synthesize(text) as AsyncIterable<PcmChunk>) parts.push(chunk.samples);
  await tts.close();
  return concatPcm16(parts);
}

describe.skipIf(!haveChromium)("agent builder and the pages around it, in a browser", () => {
  let h: Harness;
  let site: FixtureServer;
  let bookings: Server;
  let bookingsUrl: string;
  // Building answers from the prompt's own input; conversations follow each test's script.
  const models = new ScriptedBuilderModels();

  beforeAll(async () => {
    site = await startFixtureServer();
    bookings = createServer((request, response) => {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ url: request.url, slots: ["08:00", "13:00"] }));
    });
    await new Promise<void>((resolve) => bookings.listen(0, "127.0.0.1", resolve));
    bookingsUrl = `http://127.0.0.1:${(bookings.address() as AddressInfo).port}`;
    // The fixture website and the booking endpoint live on this machine.
    h = await startHarness({ env: { ORATIO_FETCH_ALLOW: "127.0.0.1" }, models });
  });

  afterAll(async () => {
    await h?.close();
    await site?.close();
    await new Promise<void>((resolve) => (bookings ? bookings.close(() => resolve()) : resolve()));
  });

  it("signs up, builds agents with the wizard while watching each stage, reviews, publishes, chats with a cited answer, sees the session live, tests a tool and revokes a key", async () => {
    const page = await h.newPage();
    // What the page showed when a step failed, for whoever reads the log.
    onTestFailed(async () => {
      await page.screenshot({ path: path.join(screenshotDir, "failure-agent-builder.png"), fullPage: true });
      console.log(`Page at failure (${page.url()}):\n${await page.locator("body").textContent()}`);
    });
    await signUp(page, h.baseUrl, {
      name: "Dana Whitfield",
      email: `e2e-builder-${Date.now()}@example.com`,
      organization: "Harborview Family Dental",
    });
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Agents" }).click();
    await expectOneHeading(page, "Agents");
    await page.getByRole("link", { name: "Create agent" }).click();
    await expectOneHeading(page, "Create agent");
    await shot(page, "agent-wizard-empty-light");

    // Sources: the SOP as a file, documents dropped on the page, and the website.
    await page.getByLabel("Business name").fill("Harborview Family Dental");
    await page.getByLabel("Upload the SOP as a file").setInputFiles(path.join(fixturesDir, "sop.md"));
    await page.getByText("SOP file:").waitFor();
    await dropFiles(page, page.getByText("Add documents"), FILES);
    const toAdd = page.getByRole("list", { name: "Documents to add" });
    for (const file of FILES) await toAdd.getByText(file.name).waitFor();
    await page.getByLabel("Website address (optional)").fill(`${site.origin}/`);
    await page.getByLabel("Model provider").selectOption("local");
    await page.getByLabel("Model name").fill("harbor");
    await shot(page, "agent-wizard-sources-light");
    await page.getByRole("button", { name: "Generate agents" }).click();

    // Generating: the bar and the stages follow the job's event stream until the review opens.
    const bar = page.getByRole("progressbar", { name: "Generation progress" });
    await bar.waitFor();
    const percents = new Set<number>();
    const statesByStage = new Map<string, Set<string>>();
    const review = page.getByRole("heading", { name: "Review the drafts" });
    let progressShot = false;
    while (!(await review.isVisible())) {
      const now = Number(
        (await bar.getAttribute("aria-valuenow", { timeout: 1000 }).catch(() => null)) ?? -1,
      );
      if (now >= 0) percents.add(now);
      const rows = await page
        .getByRole("list", { name: "Generation stages" })
        .getByRole("listitem")
        .allTextContents()
        .catch(() => []);
      for (const row of rows) {
        const [label, state] = [
          row.replace(/(Waiting|Working|Done|Skipped|Failed).*$/, ""),
          row.match(/(Waiting|Working|Done|Skipped|Failed)/)?.[1],
        ];
        if (state) statesByStage.set(label, (statesByStage.get(label) ?? new Set()).add(state));
      }
      if (!progressShot && now > 0 && now < 100) {
        progressShot = true;
        await page.screenshot({
          path: path.join(screenshotDir, "agent-wizard-generating-light.png"),
          fullPage: true,
        });
      }
      await page.waitForTimeout(100);
    }
    console.log("progress seen (%):", [...percents].sort((a, b) => a - b).join(", "));
    console.log(
      "stage states seen:",
      JSON.stringify(Object.fromEntries([...statesByStage].map(([k, v]) => [k, [...v]]))),
    );
    // The bar moved while the page watched, and stages were seen at work.
    expect([...percents].some((p) => p > 0 && p < 100)).toBe(true);
    expect([...statesByStage.values()].some((states) => states.has("Working"))).toBe(true);
    const reviewUrl = page.url();
    expect(reviewUrl).toMatch(/\/agents\/new\?report=/);

    // Review: every stage done, with timings; facts with their sources; procedures; instructions; findings.
    await page.getByText("How it was built").click();
    const stages = page.getByRole("list", { name: "Generation stages" });
    expect(await stages.getByRole("listitem").count()).toBe(8);
    expect(await stages.getByRole("listitem").filter({ hasText: /Done/ }).count()).toBe(8);
    const tabs = page.getByRole("tablist", { name: "Generated agents" });
    await tabs.getByRole("tab", { name: "Receptionist (answers first)" }).waitFor();
    await page.getByRole("region", { name: "Instructions preview for Receptionist" }).waitFor();
    await page
      .getByText(/^From the SOP/)
      .first()
      .waitFor();
    await page.getByRole("list", { name: "Review cycles for Receptionist" }).waitFor();
    const profile = page.getByRole("region", { name: "Business profile" });
    const firstSource = profile.getByText(/^Source: /).first();
    await firstSource.click();
    await expect
      .poll(() => firstSource.locator("xpath=..").getAttribute("open"), { timeout: 10_000 })
      .not.toBeNull();
    await shot(page, "agent-review-light");
    const otherTab = tabs.getByRole("tab").nth(1);
    await otherTab.click();
    await page.getByRole("region", { name: /^Instructions preview for / }).waitFor();

    await page.getByRole("button", { name: "Publish agents" }).click();
    await page.getByText("Published. Your agents answer customers now.").waitFor();
    await shot(page, "agent-review-published-light");

    // A second tab watches the sessions list before the conversation starts.
    const watcher = await page.context().newPage();
    await watcher.goto(`${h.baseUrl}/sessions`);
    await expectOneHeading(watcher, "Sessions");
    await watcher.getByText("Live: new conversations appear as they start.").waitFor();

    await page.getByRole("link", { name: "Try Receptionist in the playground" }).click();
    await expectOneHeading(page, "Receptionist");
    await page.getByRole("tab", { name: "Playground", selected: true }).waitFor();
    models.model("harbor").push(
      {
        toolCalls: [
          { name: "search_knowledge", args: { query: "drink through a straw after an extraction" } },
        ],
      },
      { text: ["Please don't use a straw ", "for the first few days after an extraction."] },
    );
    await page.getByLabel("Message").fill("Can I drink through a straw after my tooth was pulled?");
    await page.getByRole("button", { name: "Send message" }).click();
    const reply = page.getByRole("article", { name: "Reply from receptionist" }).last();
    await reply.getByText("for the first few days after an extraction.").waitFor();
    await reply.getByText("Sources").waitFor();
    expect(await reply.getByRole("listitem").count()).toBeGreaterThan(0);
    await shot(page, "agent-generated-playground-light");

    const row = watcher.getByRole("table", { name: "Sessions" }).getByRole("row").nth(1);
    await row.getByText("Receptionist").waitFor();
    await row.getByRole("link").click();
    await expectOneHeading(watcher, "Session with receptionist");
    const transcript = watcher.getByRole("list", { name: "Transcript" });
    await transcript.getByText("Can I drink through a straw after my tooth was pulled?").waitFor();
    await transcript.getByText("Called search_knowledge").first().waitFor();
    await transcript.getByText("Sources").first().waitFor();
    await watcher.close();

    // Tools: add an HTTP tool, call it once with sample arguments.
    await nav.getByRole("link", { name: "Tools" }).click();
    await expectOneHeading(page, "Tools");
    await page.getByText("No custom tools yet").waitFor();
    await page.getByRole("button", { name: "Add tool" }).click();
    const add = page.getByRole("dialog", { name: "Add tool" });
    await add.getByLabel("Name").fill("find_slots");
    await add.getByLabel("Description").fill("Free appointment slots at an office on a date.");
    await add.getByLabel("Method").selectOption("GET");
    await add.getByLabel("URL").fill(`${bookingsUrl}/slots/{office}`);
    await add.getByLabel("Parameters (JSON Schema)").fill(
      JSON.stringify({
        type: "object",
        properties: {
          office: { type: "string", enum: ["downtown", "northside"] },
          date: { type: "string", format: "date" },
        },
        required: ["office", "date"],
      }),
    );
    await shot(page, "tools-add-light");
    await add.getByRole("button", { name: "Add tool" }).click();
    await page.getByRole("table", { name: "Custom tools" }).getByText("find_slots").waitFor();
    await page.getByRole("button", { name: "Test find_slots" }).click();
    const test = page.getByRole("dialog", { name: "Test find_slots" });
    await test.getByRole("button", { name: "Run test" }).click();
    const result = test.getByRole("region", { name: "Test result" });
    await result.getByText("It worked").waitFor();
    expect(await result.textContent()).toContain("/slots/downtown?date=");
    await shot(page, "tools-test-light");
    await test.getByRole("button", { name: "Close" }).click();
    await shot(page, "tools-light");

    // API keys: create one, use it, revoke it, and it stops working.
    await nav.getByRole("link", { name: "API keys" }).click();
    await expectOneHeading(page, "API keys");
    await page.getByRole("button", { name: "Create API key" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("Booking widget");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = await page.getByLabel("Secret key for “Booking widget”").inputValue();
    await page.getByRole("button", { name: "Done" }).click();
    const agentsWithKey = await fetch(`${h.baseUrl}/api/v1/agents`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(agentsWithKey.status).toBe(200);
    await page.getByRole("button", { name: "Revoke Booking widget" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
    await page.getByText("No API keys yet").waitFor();
    const afterRevoke = await fetch(`${h.baseUrl}/api/v1/agents`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(afterRevoke.status).toBe(401);

    // The new pages in dark mode.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${h.baseUrl}/agents/new`);
    await expectOneHeading(page, "Create agent");
    await shot(page, "agent-wizard-empty-dark");
    await page.goto(reviewUrl);
    await page.getByRole("heading", { name: "Review the drafts" }).waitFor();
    await page.getByRole("region", { name: "Business profile" }).waitFor();
    await shot(page, "agent-review-dark");
    await page.goto(`${h.baseUrl}/tools`);
    await page.getByRole("table", { name: "Custom tools" }).waitFor();
    await shot(page, "tools-dark");
    await page.getByRole("button", { name: "Test find_slots" }).click();
    await page
      .getByRole("dialog", { name: "Test find_slots" })
      .getByRole("button", { name: "Run test" })
      .click();
    await page.getByRole("region", { name: "Test result" }).getByText("It worked").waitFor();
    await shot(page, "tools-test-dark");

    models.assertDone();
    expect(h.foreignRequests).toEqual([]);
    expect(h.consoleErrors).toEqual([]);
  });

  it.skipIf(!HAVE_POCKETSPHINX)(
    "plays a call's recording in the browser, highlighting what is being said, and seeks when an entry is clicked",
    async () => {
      const email = `e2e-recording-${Date.now()}@example.com`;
      const client = createClient({ baseUrl: h.baseUrl, tokenStore: memoryTokenStore() });
      await client.auth.signup({
        email,
        password: PASSWORD,
        name: "Rita Recorder",
        organizationName: "Harborview Calls",
      });
      const agent = await client.agents.create(
        {
          name: "Phone Desk",
          instructions: "Answer callers.",
          greeting: "Thank you for calling Harborview Dental.",
          model: { providerId: "local", model: "phone-desk" },
        },
        { publish: true },
      );
      const session = await client.sessions.create({ agentId: agent.id, channel: "voice" });
      models.model("phone-desk").push({ text: "We open at nine in the morning on Saturday." });
      const agentFinals = (events: VoiceEvent[]) =>
        events.filter((e) => e.type === "transcript" && e.role === "agent" && e.final).length;
      await placeCall({
        url: `${h.baseUrl.replace(/^http/, "ws")}/api/v1/sessions/${session.id}/voice?access_token=${client.tokenStore.get()?.accessToken}`,
        caller: await synthesize("What time do you open on Saturday?"),
        until: (events) => agentFinals(events) >= 2,
      });
      await expect
        .poll(async () => (await client.sessions.get(session.id)).status, { timeout: 10_000 })
        .toBe("ended");
      const heard = (await client.sessions.get(session.id)).transcript.filter(
        (e) => e.audioOffsetMs !== null,
      );
      const answer = heard.find((e) => e.text === "We open at nine in the morning on Saturday.")!;
      const greeting = heard[0]!;
      expect(answer.audioOffsetMs).toBeGreaterThan(greeting.audioOffsetMs!);

      const page = await h.newPage();
      await page.goto(`${h.baseUrl}/sign-in`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expectOneHeading(page, "Overview");
      await page.goto(`${h.baseUrl}/sessions/${session.id}`);
      await expectOneHeading(page, "Session with phone-desk");
      const audio = page.getByLabel("Call recording");
      await audio.waitFor();
      // The browser decoded the WAV it fetched with the user's credentials.
      // Chromium fetches and decodes the WAV first: give it more than expect.poll's default second.
      await expect
        .poll(() => audio.evaluate((el: HTMLAudioElement) => el.duration), { timeout: 10_000 })
        .toBeGreaterThan(1);
      const transcript = page.getByRole("list", { name: "Transcript" });
      const current = transcript.locator('li[aria-current="true"]');
      expect(await current.count()).toBe(0);

      const clock = (ms: number) =>
        `${Math.floor(ms / 60000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, "0")}`;
      await transcript
        .getByRole("button", { name: `Play from ${clock(answer.audioOffsetMs!)}` })
        .last()
        .click();
      await current.getByText(answer.text!).waitFor();
      // It really plays: time moves on from where the entry starts.
      const start = answer.audioOffsetMs! / 1000;
      await expect
        .poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 15_000 })
        .toBeGreaterThan(start + 0.3);
      expect(await audio.evaluate((el: HTMLAudioElement) => el.paused)).toBe(false);
      await shot(page, "session-recording-light");

      await transcript
        .getByRole("button", { name: `Play from ${clock(greeting.audioOffsetMs!)}` })
        .first()
        .click();
      await current.getByText(greeting.text!).waitFor();
      // Left playing, the highlight moves on to the caller's question by itself.
      await current.filter({ hasText: heard[1]!.text ?? "" }).waitFor({ timeout: 20_000 });
      await audio.evaluate((el: HTMLAudioElement) => el.pause());
      await page.emulateMedia({ colorScheme: "dark" });
      await shot(page, "session-recording-dark");
      expect(h.foreignRequests).toEqual([]);
      expect(h.consoleErrors).toEqual([]);
    },
    180_000,
  );
});
