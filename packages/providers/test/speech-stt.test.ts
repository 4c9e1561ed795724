import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { ProviderError } from "@oratio/core";
import type { SpeechToTextStream, TranscriptEvent } from "@oratio/core/speech";
import { BlockedDestinationError, createGuardedFetch, openGuardedWebSocket } from "@oratio/net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { createDeepgramSpeechToText, createOpenAISpeechToText, type FetchLike } from "../src/index.ts";
import { parseMultipart, samplesOf, speechSamples, startRawServer } from "./speech-fixtures.ts";

const speech = speechSamples();
const guardedFetch = createGuardedFetch({ allowList: "127.0.0.1" }) as unknown as FetchLike;
const openWebSocket = (url: string, options: { headers: Record<string, string> }) =>
  openGuardedWebSocket(url, { ...options, allowList: "127.0.0.1" });

async function collect(stream: AsyncIterable<TranscriptEvent>): Promise<TranscriptEvent[]> {
  const events: TranscriptEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function pushFrames(stream: SpeechToTextStream, samples: Int16Array): void {
  for (let i = 0; i < samples.length; i += 320) stream.push(samples.subarray(i, i + 320));
}

/** What a Deepgram `Results` message looks like for one stretch of audio. */
function results(transcript: string, isFinal: boolean, start: number, duration: number) {
  const words = transcript.split(" ").map((word, i, all) => ({
    word: word.toLowerCase().replace(/[^a-z']/g, ""),
    punctuated_word: word,
    start: start + (duration * i) / all.length,
    end: start + (duration * (i + 1)) / all.length,
    confidence: 0.97,
  }));
  return {
    type: "Results",
    channel_index: [0, 1],
    duration,
    start,
    is_final: isFinal,
    speech_final: isFinal,
    channel: { alternatives: [{ transcript, confidence: 0.98, words }] },
    metadata: { request_id: "c1f9", model_info: { name: "general-nova-3", version: "2024", arch: "nova-3" } },
    from_finalize: false,
  };
}

/**
 * A local Deepgram live endpoint: checks the handshake, collects audio, answers with an
 * interim result once audio arrives, a final on `Finalize`, and on `CloseStream` the last
 * final, a Metadata message and a normal close.
 */
interface Session {
  url: string;
  headers: IncomingMessage["headers"];
  audio: Buffer[];
  control: string[];
  closed: boolean;
}
let server: WebSocketServer;
let base: string;
const sessions: Session[] = [];

beforeAll(async () => {
  server = new WebSocketServer({
    port: 0,
    host: "127.0.0.1",
    verifyClient: (info, done) => {
      if (info.req.headers.authorization === "Token dg-test-key") done(true);
      else done(false, 401, "Unauthorized");
    },
  });
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on("connection", (socket: WebSocket, request) => {
    const session: Session = {
      url: request.url ?? "",
      headers: request.headers,
      audio: [],
      control: [],
      closed: false,
    };
    sessions.push(session);
    let interimSent = false;
    socket.on("close", () => {
      session.closed = true;
    });
    socket.on("message", (data: Buffer, isBinary) => {
      if (isBinary) {
        session.audio.push(Buffer.from(data));
        if (!interimSent) {
          interimSent = true;
          socket.send(JSON.stringify(results("And so", false, 0, 0.8)));
        }
        return;
      }
      const message = JSON.parse(data.toString()) as { type: string };
      session.control.push(message.type);
      if (message.type === "Finalize") {
        socket.send(
          JSON.stringify({ ...results("And so my fellow Americans,", true, 0, 2.5), from_finalize: true }),
        );
      } else if (message.type === "CloseStream") {
        socket.send(JSON.stringify(results("ask not what your country can do for you.", true, 2.5, 4)));
        socket.send(
          JSON.stringify({
            type: "Metadata",
            transaction_key: "deprecated",
            request_id: "c1f9",
            sha256: "e3b0",
            created: "2026-01-01T00:00:00.000Z",
            duration: 6.5,
            channels: 1,
          }),
        );
        socket.close(1000);
      }
    });
  });
});

afterAll(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
});

describe("Deepgram live speech-to-text", () => {
  it("streams linear16 audio and turns Results messages into partial and final transcripts", async () => {
    const stt = createDeepgramSpeechToText({ apiKey: "dg-test-key", baseUrl: base, openWebSocket });
    expect(stt.capabilities).toEqual({ streaming: true, interimResults: true });
    const stream = await stt.stream({ language: "en-US" });
    const collecting = collect(stream);
    const audio = speech.subarray(0, 16000 * 3);
    pushFrames(stream, audio);
    stream.flush();
    stream.end();
    const events = await collecting;

    const session = sessions.at(-1)!;
    const url = new URL(session.url, base);
    expect(url.pathname).toBe("/v1/listen");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      encoding: "linear16",
      sample_rate: "16000",
      channels: "1",
      model: "nova-3",
      language: "en-US",
      interim_results: "true",
    });
    expect(session.headers.authorization).toBe("Token dg-test-key");
    expect(Array.from(samplesOf(Buffer.concat(session.audio)))).toEqual(Array.from(audio));
    expect(session.control).toEqual(["Finalize", "CloseStream"]);

    expect(events[0]).toEqual({ type: "partial", text: "And so" });
    const finals = events.filter((e) => e.type === "final");
    expect(finals.map((e) => e.text)).toEqual([
      "And so my fellow Americans,",
      "ask not what your country can do for you.",
    ]);
    expect(finals[1]).toMatchObject({ startMs: 2500, endMs: 6500, confidence: 0.98 });
    expect(finals[1]!.type === "final" && finals[1]!.words?.[0]).toEqual({
      word: "ask",
      startMs: 2500,
      endMs: 2944,
    });
  });

  it("keeps an idle stream open with KeepAlive messages", async () => {
    const stt = createDeepgramSpeechToText({
      apiKey: "dg-test-key",
      baseUrl: base,
      openWebSocket,
      keepAliveMs: 30,
    });
    const stream = await stt.stream();
    const session = sessions.at(-1)!;
    while (!session.control.includes("KeepAlive")) await new Promise((resolve) => setTimeout(resolve, 10));
    stream.close();
    expect(await collect(stream)).toEqual([]);
  });

  it("closes the socket when the signal is aborted", async () => {
    const stt = createDeepgramSpeechToText({ apiKey: "dg-test-key", baseUrl: base, openWebSocket });
    const controller = new AbortController();
    const stream = await stt.stream({ signal: controller.signal });
    const session = sessions.at(-1)!;
    pushFrames(stream, speech.subarray(0, 3200));
    controller.abort();
    await collect(stream);
    while (!session.closed) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(session.control).not.toContain("CloseStream");
  });

  it("says to check the key when the handshake is refused", async () => {
    const stt = createDeepgramSpeechToText({ apiKey: "wrong-key", baseUrl: base, openWebSocket });
    const error = await stt.stream().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/API key/);
    expect((error as Error).message).not.toMatch(/wrong-key/);
  });

  it("goes through the outbound guard", async () => {
    const before = sessions.length;
    const stt = createDeepgramSpeechToText({
      apiKey: "dg-test-key",
      baseUrl: base,
      openWebSocket: (url, options) => openGuardedWebSocket(url, { ...options, allowList: "" }),
    });
    await expect(stt.stream()).rejects.toBeInstanceOf(BlockedDestinationError);
    expect(sessions.length).toBe(before);
  });
});

describe("OpenAI speech-to-text", () => {
  it("posts each utterance as a WAV to {base}/audio/transcriptions and yields the text as a final", async () => {
    const vendor = await startRawServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ text: " And so, my fellow Americans. ", usage: { type: "duration", seconds: 3 } }),
      );
    });
    try {
      const stt = createOpenAISpeechToText({
        apiKey: "sk-test",
        baseUrl: `${vendor.url}/v1`,
        fetch: guardedFetch,
        model: "whisper-1",
      });
      expect(stt.capabilities).toEqual({ streaming: false, interimResults: false });
      const stream = await stt.stream({ language: "en-US" });
      const collecting = collect(stream);
      const audio = speech.subarray(0, 16000 * 3);
      pushFrames(stream, audio);
      stream.end();
      expect(await collecting).toEqual([
        { type: "final", text: "And so, my fellow Americans.", startMs: 0, endMs: 3000 },
      ]);

      const [request] = vendor.requests;
      expect(request!.method).toBe("POST");
      expect(request!.url).toBe("/v1/audio/transcriptions");
      expect(request!.headers.authorization).toBe("Bearer sk-test");
      const parts = parseMultipart(request!);
      expect(parts.get("model")!.data.toString()).toBe("whisper-1");
      expect(parts.get("language")!.data.toString()).toBe("en");
      expect(parts.get("response_format")!.data.toString()).toBe("json");
      const file = parts.get("file")!;
      expect(file).toMatchObject({ filename: "utterance.wav", type: "audio/wav" });
      expect(file.data.subarray(0, 4).toString()).toBe("RIFF");
      expect(file.data.readUInt32LE(24)).toBe(16000);
      expect(Array.from(samplesOf(file.data.subarray(44)))).toEqual(Array.from(audio));
    } finally {
      await vendor.close();
    }
  });

  it("sends one request per flushed utterance, in order, with stream offsets", async () => {
    let calls = 0;
    const vendor = await startRawServer((_request, response) => {
      calls++;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ text: `part ${calls}` }));
    });
    try {
      const stt = createOpenAISpeechToText({ apiKey: "k", baseUrl: vendor.url, fetch: guardedFetch });
      const stream = await stt.stream();
      const collecting = collect(stream);
      pushFrames(stream, speech.subarray(0, 16000));
      stream.flush();
      pushFrames(stream, speech.subarray(16000, 24000));
      stream.end();
      expect(await collecting).toEqual([
        { type: "final", text: "part 1", startMs: 0, endMs: 1000 },
        { type: "final", text: "part 2", startMs: 1000, endMs: 1500 },
      ]);
    } finally {
      await vendor.close();
    }
  });

  it("ends the stream with a ProviderError when the key is refused", async () => {
    const vendor = await startRawServer((_request, response) => {
      response.writeHead(401, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ error: { message: "Incorrect API key provided.", code: "invalid_api_key" } }),
      );
    });
    try {
      const stt = createOpenAISpeechToText({ apiKey: "sk-secret", baseUrl: vendor.url, fetch: guardedFetch });
      const stream = await stt.stream();
      const collecting = collect(stream);
      pushFrames(stream, speech.subarray(0, 16000));
      stream.end();
      const error = await collecting.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ upstreamStatus: 401, retryable: false });
      expect((error as Error).message).not.toMatch(/sk-secret/);
    } finally {
      await vendor.close();
    }
  });
});
