import { existsSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { deinterleaveStereo, POCKETSPHINX_INSTALL, readWav, resample } from "@oratio/speech";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { injectWebSockets } from "../src/voice/websockets.ts";
import { createApiKey, type SignedUp, signUp } from "./helpers.ts";
import { ScriptedModels } from "./scripted-models.ts";
import {
  type ControlEvent,
  sleep,
  synthesize,
  transcribe,
  VoiceClient,
  wordOverlap,
} from "./voice-client.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const modelsDir = process.env.ORATIO_MODELS_DIR ?? path.resolve(repoRoot, "../shared/models");
const jfkFile = path.join(modelsDir, "whisper/jfk.wav");
const hasPocketsphinx = existsSync("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin");
if (!hasPocketsphinx)
  console.warn(`Skipping voice socket tests: pocketsphinx missing (${POCKETSPHINX_INSTALL}).`);
if (!existsSync(jfkFile))
  console.warn(`Skipping the JFK turn: ${jfkFile} not found (set ORATIO_MODELS_DIR).`);

const QUESTION = "What time do you open on Saturday?";
const ANSWER = "We open at nine in the morning on Saturday.";
let t: TestApp;
let server: Server;
let base: string;
let a: SignedUp;
const models = new ScriptedModels();

beforeAll(async () => {
  // Recognising the 11 s jfk.wav can take PocketSphinx well over the default 10 s on a shared,
  // busy machine; the test is about the pipeline, not about that machine's speed.
  t = await createTestApp(
    { ORATIO_MODELS_DIR: modelsDir, ORATIO_VOICE_STT_FINAL_TIMEOUT_MS: "120000" },
    { models },
  );
  a = await signUp(t);
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  injectWebSockets(t.app, server);
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

async function api(method: string, url: string, body?: unknown, token = a.accessToken) {
  const res = await t.request(method, url, { token, json: body });
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

async function voiceSession(greeting?: string, voice?: unknown) {
  const agent = await api("POST", "/api/v1/agents", {
    name: `Front desk ${Math.random().toString(36).slice(2, 8)}`,
    instructions: "Answer questions about opening hours.",
    ...(greeting ? { greeting } : {}),
    ...(voice ? { voice } : {}),
    model: { providerId: "local", model: "voice-model" },
  });
  return api("POST", "/api/v1/sessions", { agentId: agent.id, channel: "voice" });
}

async function waitForEnded(sessionId: string) {
  for (let i = 0; i < 500; i++) {
    const session = await api("GET", `/api/v1/sessions/${sessionId}`);
    if (session.status === "ended") return session;
    await sleep(50);
  }
  throw new Error("session did not end");
}

describe("voice sessions over the browser WebSocket", () => {
  it("refuses strangers and plain HTTP before upgrading", async () => {
    const session = await voiceSession();
    const b = await signUp(t);
    await expect(
      VoiceClient.open(`${base}/api/v1/sessions/${session.id}/voice?access_token=${b.accessToken}`),
    ).rejects.toThrow("HTTP 404");
    await expect(VoiceClient.open(`${base}/api/v1/sessions/${session.id}/voice`)).rejects.toThrow("HTTP 401");
    const readOnly = await createApiKey(t, a.accessToken, ["sessions:read"]);
    await expect(
      VoiceClient.open(`${base}/api/v1/sessions/${session.id}/voice?access_token=${readOnly.key}`),
    ).rejects.toThrow("HTTP 403");
    const plain = await t.request("GET", `/api/v1/sessions/${session.id}/voice`, { token: a.accessToken });
    expect(plain.status).toBe(426);
    const none = await t.request("GET", `/api/v1/sessions/${session.id}/recording`, { token: a.accessToken });
    expect(none.status).toBe(404);
  });

  it.skipIf(!hasPocketsphinx)(
    "answers spoken questions with speech; stores transcript, per-turn latency, offsets and a stereo recording",
    async () => {
      const greeting = "Hello, front desk.";
      const session = await voiceSession(greeting);
      const key = await createApiKey(t, a.accessToken, ["sessions:write"]);
      models.model("voice-model").push({ text: ["We open at nine ", "in the morning on Saturday."] });
      const client = await VoiceClient.open(`${base}/api/v1/sessions/${session.id}/voice`, {
        authorization: `Bearer ${key.key}`,
      });
      await client.waitFor(() => client.events("ready").length > 0, "ready");
      expect(client.events("ready")[0]).toMatchObject({ sampleRate: 16000, frameMs: 20 });

      // Let the greeting play out, then ask.
      const agentFinals = () => client.events("transcript").filter((e) => e.role === "agent" && e.final);
      await client.silenceUntil(() => agentFinals().length >= 1, "the greeting");
      const greetingAudio = client.audio().length;
      await client.speak(await synthesize(QUESTION));
      await client.silenceUntil(() => agentFinals().length >= 2, "the answer");

      const userFinal = client.events("transcript").find((e) => e.role === "user" && e.final);
      expect(wordOverlap(QUESTION, userFinal!.text)).toBeGreaterThanOrEqual(0.5);
      expect(client.events("agent-state").map((e) => e.state)).toEqual(
        expect.arrayContaining(["thinking", "speaking", "listening"]),
      );
      const answerAudio = client.audio().subarray(greetingAudio);
      expect(answerAudio.length).toBeGreaterThan(16000); // over a second of speech came back
      expect(wordOverlap(ANSWER, await transcribe(answerAudio))).toBeGreaterThanOrEqual(0.5);
      const metrics = client.events("metrics").map((e) => e.metrics);
      expect(metrics.map((m) => m.kind)).toEqual(["greeting", "reply"]);

      if (existsSync(jfkFile)) {
        models.model("voice-model").push({ text: "Thank you for that." });
        const jfk = readWav(readFileSync(jfkFile));
        await client.speak(
          jfk.sampleRate === 16000 ? jfk.samples : resample(jfk.samples, jfk.sampleRate, 16000),
        );
        await client.silenceUntil(() => agentFinals().length >= 3, "the second answer");
      }

      client.socket.send(JSON.stringify({ type: "hangup" }));
      expect(await client.closed).toBe(1000);
      expect(client.events("ended")).toHaveLength(1);
      models.assertDone();

      const stored = await waitForEnded(session.id);
      const transcript = stored.transcript as ControlEvent[];
      const users = transcript.filter((e) => e.kind === "message" && e.role === "user") as [
        ControlEvent,
        ...ControlEvent[],
      ];
      const assistants = transcript.filter((e) => e.kind === "message" && e.role === "assistant") as [
        ControlEvent,
        ControlEvent,
        ...ControlEvent[],
      ];
      expect(wordOverlap(QUESTION, users[0].text)).toBeGreaterThanOrEqual(0.5);
      console.log("caller turns as recognised:", JSON.stringify(users.map((u) => u.text)));
      // PocketSphinx hears little of the 1961 recording; the turn must still be taken and answered.
      if (existsSync(jfkFile)) expect(users[1]?.text.length).toBeGreaterThan(0);
      expect(assistants[0]).toMatchObject({ text: greeting, audioOffsetMs: expect.any(Number) });
      expect(assistants[1]).toMatchObject({ text: ANSWER, audioOffsetMs: expect.any(Number) });
      expect(users[0].audioOffsetMs).toBeGreaterThan(assistants[0].audioOffsetMs);
      expect(assistants[1].audioOffsetMs).toBeGreaterThan(users[0].audioOffsetMs);
      const turns = transcript.filter((e) => e.kind === "turn");
      // The 1961 recording pauses mid-sentence; the endpointer may take that as the end of a
      // turn and the rest as another, so it yields at least one turn, sometimes two.
      const expectedTurns = existsSync(jfkFile) ? 2 : 1;
      expect(turns.length).toBeGreaterThanOrEqual(expectedTurns);
      for (const turn of turns.slice(0, expectedTurns)) {
        for (const field of [
          "firstAudioMs",
          "endpointingMs",
          "sttFinalMs",
          "llmFirstTokenMs",
          "ttsFirstByteMs",
        ])
          expect(turn.data.voice[field], field).toBeGreaterThanOrEqual(0);
        console.log("voice turn latency (ms):", JSON.stringify(turn.data.voice));
      }

      const recording = await t.request("GET", `/api/v1/sessions/${session.id}/recording`, {
        token: a.accessToken,
      });
      expect(recording.status).toBe(200);
      expect(recording.headers.get("content-type")).toBe("audio/wav");
      const wav = readWav(new Uint8Array(await recording.arrayBuffer()));
      expect(wav.channels).toBe(2);
      expect(wav.sampleRate).toBe(16000);
      const { left: caller, right: agent } = deinterleaveStereo(wav.samples);
      const energy = (s: Int16Array) => s.reduce((sum, v) => sum + Math.abs(v), 0);
      expect(energy(caller)).toBeGreaterThan(0);
      expect(energy(agent)).toBeGreaterThan(0);
    },
    240_000,
  );
});

describe.skipIf(!hasPocketsphinx)("bad input on the voice socket", () => {
  it("answers malformed frames with error events, survives, and ends cleanly when the socket drops mid-turn", async () => {
    const session = await voiceSession();
    models
      .model("voice-model")
      .push({ text: "We open at nine in the morning on Saturday and close at noon." });
    const client = await VoiceClient.open(
      `${base}/api/v1/sessions/${session.id}/voice?access_token=${a.accessToken}`,
    );
    await client.waitFor(() => client.events("ready").length > 0, "ready");
    client.socket.send(Buffer.alloc(641)); // odd byte length
    client.socket.send(Buffer.alloc(64_000)); // two seconds in one message
    client.socket.send("not json");
    client.socket.send(JSON.stringify({ type: "shout" }));
    client.socket.send(Buffer.alloc(100)); // a partial frame is fine: it is re-framed
    await client.waitFor(() => client.events("error").length >= 4, "four error events");
    expect(client.events("error").map((e) => e.code)).toEqual(Array(4).fill("validation-error"));

    // The call still works: ask, and hang up by closing the socket as soon as the agent speaks.
    await client.speak(await synthesize(QUESTION));
    await client.silenceUntil(
      () => client.events("agent-state").some((e) => e.state === "speaking"),
      "speech",
    );
    client.socket.close();
    const stored = await waitForEnded(session.id);
    const kinds = (stored.transcript as ControlEvent[]).map(
      (e) => `${e.kind}:${e.role ?? e.data?.type ?? ""}`,
    );
    expect(kinds).toEqual(
      expect.arrayContaining(["message:user", "message:assistant", "turn:", "event:hang-up"]),
    );
    expect(stored.endReason).toBe("hang-up");
  }, 180_000);
});
