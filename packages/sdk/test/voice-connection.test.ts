import { existsSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { serve } from "@hono/node-server";
import type { PcmChunk } from "@oratio/core/speech";
import { concatPcm16, createFliteTextToSpeech, POCKETSPHINX_INSTALL } from "@oratio/speech";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { injectWebSockets } from "../../server/src/voice/websockets.ts";
import { ScriptedModels } from "../../server/test/scripted-models.ts";
import {
  ApiError,
  createClient,
  type OratioClient,
  PlaybackQueue,
  playAgentAudio,
  type VoiceCallError,
  type VoiceCallEvent,
  type VoiceConnection,
  type WebSocketConstructor,
} from "../src/index.ts";
import { createTestApp, type TestApp, uniqueEmail } from "./helpers.ts";
import { RecordingSink } from "./voice-sink.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const modelsDir = process.env.ORATIO_MODELS_DIR ?? path.resolve(repoRoot, "../shared/models");
const hasPocketsphinx = existsSync("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin");
if (!hasPocketsphinx)
  console.warn(`Skipping voice call tests: pocketsphinx missing (${POCKETSPHINX_INSTALL}).`);

// Node 20 has no global WebSocket; `ws` speaks the same protocol with the same event handlers.
const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;
const FRAME = 320; // 20 ms at 16 kHz
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const models = new ScriptedModels();
let testApp: TestApp;
let server: Server;
let baseUrl: string;
let client: OratioClient;

beforeAll(async () => {
  testApp = await createTestApp({ ORATIO_MODELS_DIR: modelsDir }, { models });
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: testApp.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  injectWebSockets(testApp.app, server);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createClient({ baseUrl });
  await client.auth.signup({
    email: uniqueEmail("voice"),
    password: "correct horse battery staple",
    name: "Voice Tester",
    organizationName: "Voice Dental",
  });
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await testApp?.close();
});

async function voiceSession(greeting?: string) {
  const agent = await client.agents.create({
    name: `Front desk ${Math.random().toString(36).slice(2, 8)}`,
    instructions: "Answer questions about opening hours.",
    ...(greeting ? { greeting } : {}),
    model: { providerId: "local", model: "sdk-voice-model" },
    voice: { stt: { provider: "pocketsphinx" }, tts: { provider: "flite" } },
  });
  return client.sessions.create({ agentId: agent.id, channel: "voice" });
}

async function synthesize(text: string): Promise<Int16Array> {
  const tts = createFliteTextToSpeech({ voice: "kal16" });
  const parts: Int16Array[] = [];
  for await (const chunk of tts.synthesize(text) as AsyncIterable<PcmChunk>) parts.push(chunk.samples);
  await tts.close();
  return concatPcm16(parts);
}

/** Sends 20 ms frames in real time, as a microphone does: `next()` gives each frame's samples. */
async function microphone(
  connection: VoiceConnection,
  next: () => Int16Array | undefined,
  until: () => boolean,
) {
  const started = performance.now();
  for (let sent = 0; connection.isOpen && !until(); sent++) {
    connection.sendAudio(next() ?? new Int16Array(FRAME));
    const due = started + (sent + 1) * 20;
    await sleep(Math.max(0, due - performance.now()));
  }
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z']+/g) ?? [];
}

describe("client.voice", () => {
  it("builds the socket URL with the credential, and refuses ended or foreign sessions before any socket", async () => {
    const session = await voiceSession();
    const url = new URL(await client.voice.socketUrl(session.id));
    expect(url.protocol).toBe("ws:");
    expect(url.pathname).toBe(`/api/v1/sessions/${session.id}/voice`);
    expect(url.searchParams.get("access_token")).toBe(client.tokenStore.get()?.accessToken);
    expect(url.searchParams.has("orgId")).toBe(false);
    // A chosen organization travels in the query, since a socket carries no headers.
    const organization = await client.organizations.current();
    client.setOrganization(organization.id);
    const chosen = new URL(await client.voice.socketUrl(session.id));
    client.setOrganization(null);
    expect(chosen.searchParams.get("orgId")).toBe(organization.id);

    const key = await client.apiKeys.create({ name: "Widget", scopes: ["sessions:write"] });
    const withKey = createClient({ baseUrl: `${baseUrl}/`, apiKey: key.key });
    const keyUrl = new URL(await withKey.voice.socketUrl(session.id));
    expect(keyUrl.pathname).toBe(`/api/v1/sessions/${session.id}/voice`);
    expect(keyUrl.searchParams.get("access_token")).toBe(key.key);
    expect(keyUrl.searchParams.has("orgId")).toBe(false);

    await client.sessions.end(session.id);
    await expect(client.voice.socketUrl(session.id)).rejects.toMatchObject({
      name: "VoiceCallError",
      code: "session-ended",
    } satisfies Partial<VoiceCallError>);

    const stranger = createClient({ baseUrl });
    await stranger.auth.signup({
      email: uniqueEmail("stranger"),
      password: "correct horse battery staple",
      name: "Stranger",
      organizationName: "Elsewhere",
    });
    const refused = await stranger.voice.socketUrl(session.id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(404);
  });

  it.skipIf(!hasPocketsphinx)(
    "connects with an API key, types the server's error events, and hangs up with the call ended cleanly",
    async () => {
      const session = await voiceSession();
      const key = await client.apiKeys.create({ name: "Phone widget", scopes: ["sessions:write"] });
      const keyClient = createClient({ baseUrl, apiKey: key.key });
      const connection = await keyClient.voice.connect(session.id, { WebSocket: NodeWebSocket });
      expect(connection.ready).toEqual({
        type: "ready",
        sessionId: session.id,
        sampleRate: 16000,
        frameMs: 20,
      });
      const events: string[] = [];
      connection.on((event) => {
        if (event.type !== "audio") events.push(event.type === "error" ? `error:${event.code}` : event.type);
      });
      connection.sendAudio(new Int16Array(FRAME));
      connection.pressKey("not a key");
      await connection.hangUp();
      expect(events).toEqual(["error:validation-error", "ended", "closed"]);
      expect(await connection.closed).toMatchObject({ code: 1000, clean: true });
      expect((await client.sessions.get(session.id)).status).toBe("ended");
    },
    60_000,
  );

  it.skipIf(!hasPocketsphinx)(
    "silences queued agent audio the moment the caller barges in, and plays the answer after",
    async () => {
      const greeting =
        "Hello and welcome to Harborview Dental. We are open from nine in the morning until five in the evening on weekdays, and from nine until noon on Saturdays.";
      const session = await voiceSession(greeting);
      models.model("sdk-voice-model").push({ text: "We open at nine on Saturday." });
      const question = await synthesize("What time do you open on Saturday?");
      const connection = await client.voice.connect(session.id, { WebSocket: NodeWebSocket });

      // Agent audio goes through the same playback code as in a browser, over a sink that
      // keeps Web Audio's book of what plays when, on a real-time clock.
      const sink = new RecordingSink("real");
      // A one-second lead keeps agent audio queued however the busy test host schedules us,
      // so the barge-in always has something to silence.
      const playback = new PlaybackQueue(sink, {
        sampleRate: connection.ready.sampleRate,
        startLeadSeconds: 1,
      });
      // Registered first, so it sees each event before the playback wiring acts on it.
      let audibleBeforeClear: number | undefined;
      connection.on((event) => {
        if (event.type === "clear") audibleBeforeClear = sink.audibleAfter(sink.currentTime);
      });
      const log: { event: VoiceCallEvent; chunks: number; audible: number }[] = [];
      playAgentAudio(connection, playback, (event) => {
        const now = sink.currentTime;
        log.push({ event, chunks: sink.chunks.length, audible: sink.audibleAfter(now) });
      });
      const seen = (predicate: (event: VoiceCallEvent) => boolean) =>
        log.some((entry) => predicate(entry.event));

      // Listen to the greeting for a moment, then speak over it.
      await microphone(
        connection,
        () => undefined,
        () => sink.chunks.length >= 40,
      );
      expect(playback.bufferedSeconds).toBeGreaterThan(0);
      let offset = 0;
      const speech = () => {
        if (offset >= question.length) return undefined;
        const frame = new Int16Array(FRAME);
        frame.set(question.subarray(offset, offset + FRAME));
        offset += FRAME;
        return frame;
      };
      const answered = () =>
        seen((e) => e.type === "transcript" && e.role === "agent" && e.final && e.text.includes("Saturday."));
      await microphone(connection, speech, answered);
      await connection.hangUp();

      const clear = log.find((entry) => entry.event.type === "clear");
      expect(clear, "a clear event").toBeDefined();
      // Greeting audio was queued when the caller cut in; once the clear was handled (before
      // the page heard of it) nothing was audible from that instant on.
      expect(audibleBeforeClear).toBeGreaterThan(0.1);
      expect(clear!.audible).toBe(0);
      const clearIndex = log.indexOf(clear!);
      const interrupted = log.find((entry) => entry.event.type === "interrupted");
      expect(interrupted?.event).toMatchObject({ type: "interrupted", generatedText: greeting });
      const heard = (interrupted!.event as { heardText: string }).heardText;
      expect(words(heard).length).toBeLessThan(words(greeting).length);
      expect(words(greeting).slice(0, words(heard).length)).toEqual(words(heard));

      // No agent audio was scheduled from the clear until the answer was being prepared…
      const answerPrepared = log.findIndex(
        (entry, i) => i > clearIndex && entry.event.type === "state" && entry.event.state === "thinking",
      );
      expect(answerPrepared).toBeGreaterThan(clearIndex);
      expect(log[answerPrepared]!.chunks).toBe(clear!.chunks);
      // …and then the answer played.
      expect(sink.chunks.length).toBeGreaterThan(clear!.chunks + 25);

      const userFinal = log.find(
        (entry) => entry.event.type === "transcript" && entry.event.role === "user" && entry.event.final,
      )?.event as { text: string };
      const heardWords = new Set(words(userFinal.text));
      const overlap = words("What time do you open on Saturday").filter((w) => heardWords.has(w)).length / 7;
      console.log(`recognised: "${userFinal.text}"; heard of the greeting: "${heard}"`);
      expect(overlap).toBeGreaterThanOrEqual(0.5);
      expect(seen((e) => e.type === "metrics" && e.metrics.kind === "reply")).toBe(true);
      models.assertDone();
    },
    120_000,
  );
});
