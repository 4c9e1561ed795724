import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { serve } from "@hono/node-server";
import type { PcmChunk } from "@oratio/core/speech";
import { mountDashboard } from "@oratio/server/dashboard";
import { createTestApp, type TestApp } from "@oratio/server/testing";
import { createFliteTextToSpeech, POCKETSPHINX_INSTALL, writeWav } from "@oratio/speech";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { injectWebSockets } from "../../server/src/voice/websockets.ts";
import { ScriptedModels } from "../../server/test/scripted-models.ts";

const CHROMIUM = process.env.ORATIO_CHROMIUM ?? "/usr/bin/chromium";
const webRoot = path.resolve(import.meta.dirname, "..");
const distDir = path.join(webRoot, "dist");
const screenshotDir = path.join(webRoot, "test-artifacts", "screenshots");
const modelsDir = process.env.ORATIO_MODELS_DIR ?? path.resolve(webRoot, "../../../shared/models");

const GREETING =
  "Hello, thank you for calling Harborview Dental. We are open from nine in the morning until five in the evening on weekdays, and from nine until noon on Saturdays. How can I help you today?";
const QUESTION = "What time do you open on Saturday?";
const ANSWER = "We open at nine in the morning.";
/**
 * Silence before the question. The microphone's file starts playing when the page opens it,
 * so call setup, the engines' start and the greeting's first audio all happen inside this
 * lead (about 2 s on a quiet machine, more on a loaded one); the greeting lasts about 13 s,
 * so the question still lands inside it.
 */
const LEAD_SECONDS = 7;

const haveChromium = existsSync(CHROMIUM);
const havePocketsphinx = existsSync("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin");
if (!haveChromium) {
  console.warn(
    `Skipping the voice call browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium).`,
  );
}
if (!havePocketsphinx) {
  console.warn(`Skipping the voice call browser test: pocketsphinx is missing (${POCKETSPHINX_INSTALL}).`);
}

interface AudioCounts {
  starts: number;
  stops: number;
  tracksStopped: number;
  contextsClosed: number;
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z']+/g) ?? [];
}

/**
 * The fake microphone's recording: silence while the call connects and the greeting
 * starts, the question spoken by flite over the greeting (a barge-in), then silence long
 * enough for the whole test. Chromium plays the file from the moment the microphone opens.
 */
async function writeCallerWav(file: string): Promise<void> {
  const tts = createFliteTextToSpeech({ voice: "kal16" });
  const parts: Int16Array[] = [];
  let sampleRate = 16000;
  for await (const chunk of tts.synthesize(QUESTION) as AsyncIterable<PcmChunk>) {
    parts.push(chunk.samples);
    sampleRate = chunk.sampleRate;
  }
  await tts.close();
  const speech = parts.reduce((n, p) => n + p.length, 0);
  const samples = new Int16Array(sampleRate * LEAD_SECONDS + speech + sampleRate * 90);
  let offset = sampleRate * LEAD_SECONDS;
  for (const part of parts) {
    samples.set(part, offset);
    offset += part.length;
  }
  writeFileSync(file, writeWav({ sampleRate, channels: 1, samples }));
}

describe.skipIf(!haveChromium || !havePocketsphinx)("voice call in the playground", () => {
  let testApp: TestApp;
  let server: Server;
  let baseUrl: string;
  let browser: Browser;
  let workDir: string;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];
  const models = new ScriptedModels();

  beforeAll(async () => {
    if (!existsSync(path.join(distDir, "index.html"))) {
      throw new Error(`No built dashboard in ${distDir}: run \`npm run build -w @oratio/web\` first.`);
    }
    mkdirSync(screenshotDir, { recursive: true });
    workDir = mkdtempSync(path.join(tmpdir(), "oratio-voice-e2e-"));
    const wav = path.join(workDir, "caller.wav");
    await writeCallerWav(wav);
    testApp = await createTestApp({ ORATIO_MODELS_DIR: modelsDir }, { models });
    mountDashboard(testApp.app, distDir);
    server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: testApp.app.fetch, port: 0, hostname: "127.0.0.1" }, () =>
        resolve(s as Server),
      );
    });
    injectWebSockets(testApp.app, server);
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The fake capture device is chosen per launch, so this test has its own browser.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-device-for-media-stream",
        `--use-file-for-fake-audio-capture=${wav}%noloop`,
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await testApp?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function newPage(permissions: string[]): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions });
    const page = await context.newPage();
    page.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith(baseUrl) && !url.startsWith("data:")) foreignRequests.push(url);
    });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // Count what the page asks the browser to play, stop and release, without changing it.
    await page.addInitScript(() => {
      const counts = { starts: 0, stops: 0, tracksStopped: 0, contextsClosed: 0 };
      (window as unknown as { oratioAudio: typeof counts }).oratioAudio = counts;
      const count = <T extends object>(proto: T, method: keyof T, key: keyof typeof counts) => {
        const original = proto[method] as (...args: unknown[]) => unknown;
        (proto as Record<keyof T, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
          counts[key]++;
          return original.apply(this, args);
        };
      };
      count(AudioBufferSourceNode.prototype, "start", "starts");
      count(AudioBufferSourceNode.prototype, "stop", "stops");
      count(MediaStreamTrack.prototype, "stop", "tracksStopped");
      count(AudioContext.prototype, "close", "contextsClosed");
    });
    return page;
  }

  async function signUpAndCreateAgent(page: Page, organization: string, greeting?: string) {
    await page.goto(`${baseUrl}/sign-up`);
    await page.getByLabel("Name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(`voice-${organization.replace(/\W/g, "")}-${Date.now()}@example.com`);
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByLabel("Organization").fill(organization);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    const token = await page.evaluate(
      () =>
        (JSON.parse(localStorage.getItem("oratio.tokens") ?? "{}") as { accessToken?: string }).accessToken,
    );
    const api = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`${baseUrl}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(response.status, `${method} ${url}`).toBeLessThan(300);
      return response;
    };
    // An agent that listens with PocketSphinx, speaks with flite and thinks from a script.
    const agent = (await (
      await api("POST", "/api/v1/agents", {
        name: "Front Desk",
        instructions: "You are the front desk of Harborview Dental. Answer questions about opening hours.",
        ...(greeting ? { greeting } : {}),
        model: { providerId: "local", model: "voice-e2e-model" },
        voice: { stt: { provider: "pocketsphinx" }, tts: { provider: "flite", voice: "slt" } },
      })
    ).json()) as { id: string };
    await page.goto(`${baseUrl}/agents/${agent.id}?tab=playground`);
    await page.getByRole("heading", { level: 1, name: "Front Desk" }).waitFor();
    await page.getByRole("tab", { name: "Playground", selected: true }).waitFor();
    return { agentId: agent.id, api };
  }

  it("talks to the agent: interrupts its greeting by speaking, hears the answer, sees state and latency", async () => {
    const page = await newPage(["microphone"]);
    const { agentId, api } = await signUpAndCreateAgent(page, "Harborview Dental", GREETING);
    models.model("voice-e2e-model").push({ text: ["We open at nine ", "in the morning."] });
    const audio = () => page.evaluate(() => (window as unknown as { oratioAudio: AudioCounts }).oratioAudio);

    const panel = page.getByRole("region", { name: "Voice call" });
    await panel.getByRole("button", { name: "Start voice call" }).click();
    await panel.getByRole("button", { name: "End call" }).waitFor();
    const status = panel.getByRole("status");
    // The greeting plays from the speakers…
    await status.getByText("Front Desk is speaking").waitFor({ timeout: 30_000 });
    const transcript = panel.getByRole("list", { name: "Call transcript" });

    // …until the WAV played as the microphone talks over it: the greeting stops where the
    // caller cut in, and their words come back from the server.
    const cutOff = transcript.getByRole("listitem").filter({ hasText: "(interrupted)" });
    await cutOff.waitFor({ timeout: 90_000 });
    const heardGreeting = ((await cutOff.textContent()) ?? "").replace(
      /^Front Desk\s*\(interrupted\)\s*/,
      "",
    );
    expect(words(heardGreeting).length).toBeGreaterThan(0);
    expect(words(heardGreeting).length).toBeLessThan(words(GREETING).length);
    expect(words(GREETING).slice(0, words(heardGreeting).length)).toEqual(words(heardGreeting));
    const said = transcript.getByRole("listitem").filter({ hasText: /^You/ }).first();
    await said.waitFor({ timeout: 90_000 });
    const recognised = ((await said.textContent()) ?? "").replace(/^You\s*/, "");
    console.log(
      `recognised from the fake microphone: "${recognised}"; heard of the greeting: "${heardGreeting}"`,
    );
    const heard = new Set(words(recognised));
    expect(
      words(QUESTION).filter((w) => heard.has(w)).length / words(QUESTION).length,
    ).toBeGreaterThanOrEqual(0.5);

    // The agent answers aloud, then listens again; its words and the turns' latency appear.
    await status.getByText("Front Desk is speaking").waitFor({ timeout: 60_000 });
    await panel.getByRole("button", { name: "Mute microphone" }).click();
    await status.getByText("Microphone muted").waitFor();
    expect(await panel.getByRole("button", { name: "Mute microphone" }).getAttribute("aria-pressed")).toBe(
      "true",
    );
    await transcript.getByText(ANSWER).waitFor({ timeout: 60_000 });
    await status.getByText("Front Desk is listening").waitFor();
    const latency = panel.getByRole("list", { name: "Turn latency" });
    await latency.getByText(/^Turn 1 \(greeting\)$/).waitFor();
    await latency.getByText(/interrupted · stopped [\d.]+ (ms|s) after you spoke$/).waitFor();
    await latency.getByText(/^Turn 2: [\d.]+ (ms|s) to first audio$/).waitFor();
    await latency.getByText(/recognition \d/).waitFor();
    // The agent's speech went out through Web Audio. (Sources stopped early at the barge-in
    // depend on how much was queued at that instant, so they are reported, not asserted; the
    // SDK's tests pin that down.)
    const played = await audio();
    console.log(`agent audio sources started: ${played.starts}, stopped early: ${played.stops}`);
    expect(played.starts).toBeGreaterThan(50);
    await page.evaluate(() => document.fonts.ready);
    await panel.screenshot({ path: path.join(screenshotDir, "voice-call-light.png") });

    await panel.getByRole("button", { name: "End call" }).click();
    await panel.getByRole("button", { name: "Start voice call" }).waitFor();
    await panel.getByText("The call ended.").waitFor();
    // Hanging up released the microphone and the audio context.
    expect(await audio()).toMatchObject({ tracksStopped: 1, contextsClosed: 1 });
    await page.emulateMedia({ colorScheme: "dark" });
    await panel.screenshot({ path: path.join(screenshotDir, "voice-call-dark.png") });

    // The call is a voice session with the same transcript, per-turn latency and a recording.
    const sessions = (await (await api("GET", `/api/v1/sessions?agentId=${agentId}`)).json()) as {
      data: { id: string; channel: string }[];
    };
    const session = sessions.data.find((s) => s.channel === "voice");
    expect(session).toBeDefined();
    let detail: {
      status: string;
      transcript: { kind: string; role: string | null; text: string | null; data: Record<string, unknown> }[];
    };
    for (;;) {
      detail = await (await api("GET", `/api/v1/sessions/${session!.id}`)).json();
      if (detail.status === "ended") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const messages = detail.transcript.filter((e) => e.kind === "message").map((e) => `${e.role}: ${e.text}`);
    // The stored greeting keeps its full text, marked as cut off with the words heard, and
    // the barge-in is an event of its own.
    expect(messages[0]!.startsWith(`assistant: ${heardGreeting}`), messages[0]).toBe(true);
    const greetingEntry = detail.transcript.find((e) => e.kind === "message")!;
    expect(greetingEntry.data).toMatchObject({ interrupted: true, heardText: expect.any(String) });
    expect(detail.transcript.some((e) => e.kind === "event" && e.data.type === "barge-in")).toBe(true);
    expect(messages.slice(1)).toEqual([`user: ${recognised}`, `assistant: ${ANSWER}`]);
    expect(detail.transcript.some((e) => e.kind === "turn")).toBe(true);
    const recording = await api("GET", `/api/v1/sessions/${session!.id}/recording`);
    expect(recording.headers.get("content-type")).toBe("audio/wav");

    models.assertDone();
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("says in words that the microphone is blocked, and starts no session", async () => {
    const page = await newPage([]);
    const { agentId, api } = await signUpAndCreateAgent(page, "Blocked Mic Dental");
    const panel = page.getByRole("region", { name: "Voice call" });
    await panel.getByRole("button", { name: "Start voice call" }).click();
    await panel.getByRole("alert").getByText("Microphone access is blocked.", { exact: false }).waitFor();
    expect(
      await page.evaluate(
        () => (window as unknown as { oratioAudio: AudioCounts }).oratioAudio.contextsClosed,
      ),
    ).toBe(1);
    await panel.getByRole("button", { name: "Start voice call" }).waitFor();
    const sessions = (await (await api("GET", `/api/v1/sessions?agentId=${agentId}`)).json()) as {
      data: unknown[];
    };
    expect(sessions.data).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
