import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { serve } from "@hono/node-server";
import type { PcmChunk } from "@oratio/core/speech";
import { createFliteTextToSpeech, POCKETSPHINX_INSTALL, resample } from "@oratio/speech";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { injectWebSockets } from "../src/voice/websockets.ts";
import { type SignedUp, signUp } from "./helpers.ts";
import { ScriptedModels } from "./scripted-models.ts";
import { synthesize, transcribe, VoiceClient, wordOverlap } from "./voice-client.ts";

/**
 * Voice calls whose agent uses cloud speech engines, end to end: the browser socket, the
 * server's engine factory (provider rows, decrypted keys, the outbound guard) and the
 * adapters, against local servers speaking Deepgram's, ElevenLabs' and OpenAI's wire
 * protocols. The stand-ins do real speech work: the Deepgram one transcribes the audio it
 * receives with PocketSphinx, the speech ones answer with flite audio of the requested text.
 */
const hasPocketsphinx = existsSync("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin");
if (!hasPocketsphinx)
  console.warn(`Skipping cloud voice calls: pocketsphinx missing (${POCKETSPHINX_INSTALL}).`);

const KEYS = {
  deepgram: "dg-e2e-key-71c3",
  elevenlabs: "el-e2e-key-5a0f",
  openai: "sk-e2e-key-c9d2",
  cartesia: "ct-e2e-key-0b8e",
};
const QUESTION = "What time do you open on Saturday?";
const ANSWER = "We open at nine in the morning on Saturday.";

interface Seen {
  deepgram: { url: string; authorization: string | undefined; controls: string[]; audioBytes: number }[];
  http: { method: string; url: string; headers: IncomingMessage["headers"]; body: Buffer }[];
}
const seen: Seen = { deepgram: [], http: [] };

let deepgram: WebSocketServer;
let deepgramUrl: string;
let vendor: Server;
let vendorUrl: string;
const flite = createFliteTextToSpeech({ voice: "kal16" });

async function speak(text: string): Promise<PcmChunk[]> {
  const chunks: PcmChunk[] = [];
  for await (const chunk of flite.synthesize(text)) chunks.push(chunk);
  return chunks;
}

function deepgramResults(transcript: string, duration: number) {
  return {
    type: "Results",
    channel_index: [0, 1],
    duration,
    start: 0,
    is_final: true,
    speech_final: true,
    channel: { alternatives: [{ transcript, confidence: 0.9, words: [] }] },
    metadata: { request_id: "e2e", model_info: { name: "general-nova-3", version: "1", arch: "nova-3" } },
  };
}

async function startDeepgram(): Promise<void> {
  deepgram = new WebSocketServer({
    port: 0,
    host: "127.0.0.1",
    verifyClient: (info, done) => done(info.req.headers.authorization === `Token ${KEYS.deepgram}`, 401),
  });
  await new Promise((resolve) => deepgram.once("listening", resolve));
  deepgramUrl = `http://127.0.0.1:${(deepgram.address() as AddressInfo).port}`;
  deepgram.on("connection", (socket, request) => {
    const record = {
      url: request.url ?? "",
      authorization: request.headers.authorization,
      controls: [] as string[],
      audioBytes: 0,
    };
    seen.deepgram.push(record);
    const audio: Buffer[] = [];
    socket.on("message", async (data: Buffer, isBinary) => {
      if (isBinary) {
        audio.push(Buffer.from(data));
        record.audioBytes += data.length;
        return;
      }
      const { type } = JSON.parse(data.toString()) as { type: string };
      record.controls.push(type);
      if (type !== "CloseStream") return;
      const pcm = Buffer.concat(audio);
      const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2);
      const text = samples.length > 0 ? await transcribe(samples) : "";
      if (text.trim()) socket.send(JSON.stringify(deepgramResults(text.trim(), samples.length / 16000)));
      socket.send(JSON.stringify({ type: "Metadata", request_id: "e2e", duration: samples.length / 16000 }));
      socket.close(1000);
    });
  });
}

function parseMultipart(body: Buffer, contentType: string): Map<string, Buffer> {
  const boundary = /boundary=(.+)$/.exec(contentType)![1]!;
  const parts = new Map<string, Buffer>();
  for (const raw of body.toString("latin1").split(`--${boundary}`).slice(1, -1)) {
    const [head, ...rest] = raw.slice(2, -2).split("\r\n\r\n");
    parts.set(/name="([^"]+)"/.exec(head!)![1]!, Buffer.from(rest.join("\r\n\r\n"), "latin1"));
  }
  return parts;
}

async function vendorAnswer(request: Seen["http"][number], response: ServerResponse): Promise<void> {
  const streamPcm = async (rate: number, text: string) => {
    response.writeHead(200, { "content-type": "application/octet-stream" });
    for (const chunk of await speak(text)) {
      const samples =
        rate === chunk.sampleRate ? chunk.samples : resample(chunk.samples, chunk.sampleRate, rate);
      response.write(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    }
    response.end();
  };
  if (request.url.startsWith("/v1/text-to-speech/")) {
    if (request.headers["xi-api-key"] !== KEYS.elevenlabs) return void response.writeHead(401).end();
    return streamPcm(16000, JSON.parse(request.body.toString()).text);
  }
  if (request.url === "/v1/audio/speech") {
    if (request.headers.authorization !== `Bearer ${KEYS.openai}`) return void response.writeHead(401).end();
    return streamPcm(24000, JSON.parse(request.body.toString()).input);
  }
  if (request.url === "/tts/bytes") {
    if (request.headers["x-api-key"] !== KEYS.cartesia || !request.headers["cartesia-version"])
      return void response.writeHead(401).end();
    const body = JSON.parse(request.body.toString());
    return streamPcm(body.output_format.sample_rate, body.transcript);
  }
  if (request.url === "/v1/audio/transcriptions") {
    if (request.headers.authorization !== `Bearer ${KEYS.openai}`) return void response.writeHead(401).end();
    const wav = parseMultipart(request.body, String(request.headers["content-type"])).get("file")!;
    const pcm = Buffer.from(wav.subarray(44));
    const text = await transcribe(new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2));
    response.writeHead(200, { "content-type": "application/json" });
    return void response.end(JSON.stringify({ text }));
  }
  response.writeHead(404).end();
}

async function startVendor(): Promise<void> {
  vendor = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    seen.http.push(request);
    await vendorAnswer(request, res).catch((error: Error) => res.destroy(error));
  });
  await new Promise<void>((resolve) => vendor.listen(0, "127.0.0.1", resolve));
  vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
}

let t: TestApp;
let server: Server;
let base: string;
let a: SignedUp;
const models = new ScriptedModels();
const logs: string[] = [];

beforeAll(async () => {
  await startDeepgram();
  await startVendor();
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  t = await createTestApp(
    // The stand-ins transcribe with a fresh PocketSphinx after the audio ends, which can take
    // longer than the 10 s default wait for a final transcript on a loaded machine.
    {
      ORATIO_FETCH_ALLOW: "127.0.0.1",
      ORATIO_LOG_LEVEL: "debug",
      ORATIO_VOICE_STT_FINAL_TIMEOUT_MS: "120000",
    },
    { models, logDestination },
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
  for (const client of deepgram?.clients ?? []) client.terminate();
  await new Promise((resolve) => deepgram?.close(resolve));
  vendor?.closeAllConnections();
  await new Promise((resolve) => vendor?.close(resolve));
  await flite.close();
});

async function api(method: string, url: string, body?: unknown) {
  const res = await t.request(method, url, { token: a.accessToken, json: body });
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

async function provider(type: string, apiKey: string, baseUrl: string): Promise<string> {
  const created = await api("POST", "/api/v1/providers", { name: `${type} speech`, type, apiKey, baseUrl });
  expect(created).toMatchObject({ type, hasApiKey: true, baseUrl });
  expect(JSON.stringify(created)).not.toContain(apiKey);
  return created.id;
}

async function voiceSession(voice: unknown, language?: string) {
  const agent = await api("POST", "/api/v1/agents", {
    name: `Cloud desk ${Math.random().toString(36).slice(2, 8)}`,
    instructions: "Answer questions about opening hours.",
    ...(language ? { language } : {}),
    voice,
    model: { providerId: "local", model: "cloud-voice-model" },
  });
  return api("POST", "/api/v1/sessions", { agentId: agent.id, channel: "voice" });
}

/** Asks the question, waits for the spoken answer, hangs up; returns what the caller got. */
async function askAndHangUp(sessionId: string) {
  models.model("cloud-voice-model").push({ text: ["We open at nine ", "in the morning on Saturday."] });
  const client = await VoiceClient.open(
    `${base}/api/v1/sessions/${sessionId}/voice?access_token=${a.accessToken}`,
  );
  await client.waitFor(() => client.events("ready").length > 0, "ready");
  const agentFinal = () => client.events("transcript").some((e) => e.role === "agent" && e.final);
  await client.speak(await synthesize(QUESTION));
  await client.silenceUntil(agentFinal, "the answer");
  const answerAudio = client.audio();
  client.socket.send(JSON.stringify({ type: "hangup" }));
  expect(await client.closed).toBe(1000);
  return { client, answerAudio };
}

describe.skipIf(!hasPocketsphinx)("voice calls on cloud speech engines", () => {
  it("Deepgram hears the caller and ElevenLabs speaks the answer, through the provider rows and the outbound guard", async () => {
    const stt = await provider("deepgram", KEYS.deepgram, deepgramUrl);
    const tts = await provider("elevenlabs", KEYS.elevenlabs, vendorUrl);
    const session = await voiceSession({
      stt: { provider: "deepgram", providerId: stt, model: "nova-3", language: "en-US" },
      tts: { provider: "elevenlabs", providerId: tts, voice: "voice-e2e", model: "eleven_flash_v2_5" },
    });
    const { client, answerAudio } = await askAndHangUp(session.id);

    const heard = client.events("transcript").find((e) => e.role === "user" && e.final);
    expect(wordOverlap(QUESTION, heard!.text)).toBeGreaterThanOrEqual(0.5);
    expect(answerAudio.length).toBeGreaterThan(16000);
    expect(wordOverlap(ANSWER, await transcribe(answerAudio))).toBeGreaterThanOrEqual(0.5);
    const [metrics] = client.events("metrics").map((e) => e.metrics);
    expect(metrics).toMatchObject({ kind: "reply" });
    expect(metrics.ttsFirstByteMs).toBeGreaterThanOrEqual(0);

    // What the vendors were sent.
    const listened = seen.deepgram.filter((s) => s.audioBytes > 0);
    expect(listened.length).toBeGreaterThanOrEqual(1);
    const query = new URL(listened[0]!.url, deepgramUrl).searchParams;
    expect(Object.fromEntries(query)).toMatchObject({
      encoding: "linear16",
      sample_rate: "16000",
      model: "nova-3",
      language: "en-US",
    });
    expect(listened[0]!.authorization).toBe(`Token ${KEYS.deepgram}`);
    expect(listened[0]!.controls).toContain("CloseStream");
    const spoken = seen.http.filter((r) => r.url.startsWith("/v1/text-to-speech/"));
    expect(spoken.length).toBeGreaterThanOrEqual(1);
    expect(spoken[0]!.url).toBe("/v1/text-to-speech/voice-e2e/stream?output_format=pcm_16000");
    expect(JSON.parse(spoken[0]!.body.toString()).model_id).toBe("eleven_flash_v2_5");
    expect(spoken.map((r) => JSON.parse(r.body.toString()).text).join(" ")).toContain("nine");

    const stored = await api("GET", `/api/v1/sessions/${session.id}`);
    const users = (stored.transcript as { kind: string; role?: string; text?: string }[]).filter(
      (e) => e.kind === "message" && e.role === "user",
    );
    expect(wordOverlap(QUESTION, users[0]!.text!)).toBeGreaterThanOrEqual(0.5);
    expect(logs.length).toBeGreaterThan(0); // the request log was captured, and holds no key
    for (const key of Object.values(KEYS)) expect(logs.join("")).not.toContain(key);
  }, 240_000);

  it("OpenAI transcribes each utterance and OpenAI speech at 24 kHz reaches the caller at 16 kHz", async () => {
    const openai = await provider("openai", KEYS.openai, `${vendorUrl}/v1`);
    const session = await voiceSession({
      stt: { provider: "openai", providerId: openai, model: "whisper-1" },
      tts: { provider: "openai", providerId: openai, voice: "nova" },
    });
    const before = seen.http.length;
    const { client, answerAudio } = await askAndHangUp(session.id);

    const heard = client.events("transcript").find((e) => e.role === "user" && e.final);
    expect(wordOverlap(QUESTION, heard!.text)).toBeGreaterThanOrEqual(0.5);
    expect(wordOverlap(ANSWER, await transcribe(answerAudio))).toBeGreaterThanOrEqual(0.5);
    const sent = seen.http.slice(before);
    const transcription = sent.find((r) => r.url === "/v1/audio/transcriptions")!;
    expect(
      parseMultipart(transcription.body, String(transcription.headers["content-type"]))
        .get("model")!
        .toString(),
    ).toBe("whisper-1");
    const speech = sent.filter((r) => r.url === "/v1/audio/speech").map((r) => JSON.parse(r.body.toString()));
    expect(speech[0]).toMatchObject({ model: "gpt-4o-mini-tts", voice: "nova", response_format: "pcm" });
    for (const key of Object.values(KEYS)) expect(logs.join("")).not.toContain(key);
  }, 240_000);
});

describe.skipIf(!hasPocketsphinx)("a voice call speaking through Cartesia", () => {
  it("sends Cartesia the agent's language and the call's rate, and the caller hears the answer", async () => {
    const stt = await provider("deepgram", KEYS.deepgram, deepgramUrl);
    const tts = await provider("cartesia", KEYS.cartesia, vendorUrl);
    // The agent speaks Canadian French: Cartesia is told `fr`, its code for the language.
    const session = await voiceSession(
      {
        stt: { provider: "deepgram", providerId: stt },
        tts: { provider: "cartesia", providerId: tts, voice: "voice-ct-e2e", model: "sonic-2" },
      },
      "fr-CA",
    );
    const before = seen.http.length;
    const { answerAudio } = await askAndHangUp(session.id);

    expect(answerAudio.length).toBeGreaterThan(16000);
    expect(wordOverlap(ANSWER, await transcribe(answerAudio))).toBeGreaterThanOrEqual(0.5);
    const spoken = seen.http
      .slice(before)
      .filter((r) => r.url === "/tts/bytes")
      .map((r) => JSON.parse(r.body.toString()));
    expect(spoken.length).toBeGreaterThanOrEqual(1);
    expect(spoken[0]).toMatchObject({
      model_id: "sonic-2",
      voice: { mode: "id", id: "voice-ct-e2e" },
      output_format: { container: "raw", encoding: "pcm_s16le", sample_rate: 16000 },
      language: "fr",
    });
    const listened = seen.deepgram.filter((r) => r.audioBytes > 0).at(-1)!;
    expect(new URL(listened.url, deepgramUrl).searchParams.get("language")).toBe("fr-CA");
    for (const key of Object.values(KEYS)) expect(logs.join("")).not.toContain(key);
  }, 240_000);
});

describe("cloud speech settings that cannot run", () => {
  async function errorOf(voice: unknown): Promise<{ code: string; message: string }> {
    const session = await voiceSession(voice);
    const client = await VoiceClient.open(
      `${base}/api/v1/sessions/${session.id}/voice?access_token=${a.accessToken}`,
    );
    await client.waitFor(() => client.events("error").length > 0, "an error event", 30_000);
    client.socket.close();
    return client.events("error")[0] as unknown as { code: string; message: string };
  }

  it("says to add a provider when a cloud engine has none", async () => {
    const error = await errorOf({ stt: { provider: "deepgram" }, tts: { provider: "flite" } });
    expect(error.code).toBe("speech-engine-unavailable");
    expect(error.message).toMatch(/POST \/api\/v1\/providers/);
    expect(error.message).toMatch(/voice\.stt\.providerId/);
  });

  it("refuses a provider of the wrong type, naming the type needed", async () => {
    const tts = await provider("elevenlabs", "el-other-key", vendorUrl);
    const error = await errorOf({
      stt: { provider: "pocketsphinx" },
      tts: { provider: "cartesia", providerId: tts },
    });
    expect(error.code).toBe("speech-engine-unavailable");
    expect(error.message).toMatch(/needs a provider of type cartesia/);
    expect(error.message).not.toContain("el-other-key");
  });

  it("names the Whisper model to put in the store", async () => {
    const error = await errorOf({ stt: { provider: "whisper", model: "ggml-medium.en.bin" } });
    expect(error.code).toBe("speech-engine-unavailable");
    expect(error.message).toMatch(/ggml-medium\.en\.bin/);
  });
});
