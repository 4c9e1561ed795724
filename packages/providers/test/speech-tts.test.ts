import type { ServerResponse } from "node:http";
import { ProviderError } from "@oratio/core";
import type { PcmChunk, TextToSpeech } from "@oratio/core/speech";
import { BlockedDestinationError, createGuardedFetch } from "@oratio/net";
import { describe, expect, it } from "vitest";
import {
  CARTESIA_VERSION,
  createCartesiaTextToSpeech,
  createElevenLabsTextToSpeech,
  createOpenAITextToSpeech,
  type FetchLike,
} from "../src/index.ts";
import { bytesOf, type RawRequest, speechSamples, startRawServer } from "./speech-fixtures.ts";

const guardedFetch = createGuardedFetch({ allowList: "127.0.0.1" }) as unknown as FetchLike;
const audio = speechSamples().subarray(0, 16000); // one second of real speech

/**
 * A vendor answering with raw PCM in two pieces, split inside a sample: the second piece is
 * only sent once the client has yielded audio from the first, so an adapter that waited for
 * the whole body would never finish.
 */
function streamingVendor(firstChunkSeen: Promise<void>) {
  return async (_request: RawRequest, response: ServerResponse) => {
    const bytes = bytesOf(audio);
    response.writeHead(200, { "content-type": "application/octet-stream" });
    response.write(bytes.subarray(0, 3001));
    await firstChunkSeen;
    response.end(bytes.subarray(3001));
  };
}

async function synthesizeAll(
  tts: TextToSpeech,
  text: string,
  onFirst: () => void,
  options: { voice?: string; speed?: number } = {},
): Promise<PcmChunk[]> {
  const chunks: PcmChunk[] = [];
  for await (const chunk of tts.synthesize(text, options)) {
    if (chunks.length === 0) onFirst();
    chunks.push(chunk);
  }
  return chunks;
}

function joined(chunks: PcmChunk[]): Int16Array {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.samples.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk.samples, offset);
    offset += chunk.samples.length;
  }
  return out;
}

function gate(): { seen: Promise<void>; open: () => void } {
  let open!: () => void;
  const seen = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { seen, open };
}

describe("ElevenLabs text-to-speech", () => {
  it("streams PCM from /v1/text-to-speech/{voice}/stream with the key in xi-api-key", async () => {
    const first = gate();
    const vendor = await startRawServer(streamingVendor(first.seen));
    try {
      const tts = createElevenLabsTextToSpeech({
        apiKey: "el-test-key",
        baseUrl: vendor.url,
        fetch: guardedFetch,
        model: "eleven_flash_v2_5",
      });
      expect(tts.sampleRate).toBe(16000);
      const chunks = await synthesizeAll(tts, "We open at nine.", first.open, {
        voice: "voice-123",
        speed: 1.1,
      });
      expect(chunks.length).toBeGreaterThanOrEqual(2);
      expect(chunks.every((c) => c.sampleRate === 16000)).toBe(true);
      expect(Array.from(joined(chunks))).toEqual(Array.from(audio));
      const [request] = vendor.requests;
      expect(request!.method).toBe("POST");
      expect(request!.url).toBe("/v1/text-to-speech/voice-123/stream?output_format=pcm_16000");
      expect(request!.headers["xi-api-key"]).toBe("el-test-key");
      expect(request!.headers.authorization).toBeUndefined();
      expect(JSON.parse(request!.body.toString())).toEqual({
        text: "We open at nine.",
        model_id: "eleven_flash_v2_5",
        voice_settings: { speed: 1.1 },
      });
    } finally {
      await vendor.close();
    }
  });

  it("cancels the HTTP request when aborted mid-stream", async () => {
    let closedByClient!: () => void;
    const closed = new Promise<void>((resolve) => {
      closedByClient = resolve;
    });
    const vendor = await startRawServer((_request, response, incoming) => {
      response.writeHead(200);
      response.write(bytesOf(audio.subarray(0, 1600)));
      // Never ends on its own: only the client going away finishes this request.
      incoming.socket.on("close", closedByClient);
    });
    try {
      const tts = createElevenLabsTextToSpeech({ apiKey: "k", baseUrl: vendor.url, fetch: guardedFetch });
      const controller = new AbortController();
      const seen: number[] = [];
      const run = async () => {
        for await (const chunk of tts.synthesize("A long answer.", { signal: controller.signal })) {
          seen.push(chunk.samples.length);
          controller.abort(new Error("barge-in"));
        }
      };
      await expect(run()).rejects.toThrow("barge-in");
      expect(seen).toHaveLength(1);
      await closed;
    } finally {
      await vendor.close();
    }
  });

  it("turns a refusal into a ProviderError with the vendor's status and no key", async () => {
    const vendor = await startRawServer((_request, response) => {
      response.writeHead(401, { "content-type": "application/json" });
      response.end(JSON.stringify({ detail: { status: "invalid_api_key", message: "Invalid API key" } }));
    });
    try {
      const tts = createElevenLabsTextToSpeech({
        apiKey: "el-secret",
        baseUrl: vendor.url,
        fetch: guardedFetch,
      });
      const error = await synthesizeAll(tts, "Hello.", () => {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ upstreamStatus: 401, retryable: false });
      expect((error as Error).message).toMatch(/invalid_api_key/);
      expect((error as Error).message).not.toMatch(/el-secret/);
    } finally {
      await vendor.close();
    }
  });

  it("goes through the outbound guard: a loopback base URL needs ORATIO_FETCH_ALLOW", async () => {
    const vendor = await startRawServer((_request, response) => {
      response.end();
    });
    try {
      const tts = createElevenLabsTextToSpeech({
        apiKey: "k",
        baseUrl: vendor.url,
        fetch: createGuardedFetch({ allowList: "" }) as unknown as FetchLike,
      });
      await expect(synthesizeAll(tts, "Hello.", () => {})).rejects.toBeInstanceOf(BlockedDestinationError);
      expect(vendor.requests).toHaveLength(0);
    } finally {
      await vendor.close();
    }
  });
});

describe("OpenAI text-to-speech", () => {
  it("posts to {base}/audio/speech for 24 kHz PCM and streams it", async () => {
    const first = gate();
    const vendor = await startRawServer(streamingVendor(first.seen));
    try {
      const tts = createOpenAITextToSpeech({
        apiKey: "sk-test",
        baseUrl: `${vendor.url}/v1`,
        fetch: guardedFetch,
      });
      expect(tts.sampleRate).toBe(24000);
      const chunks = await synthesizeAll(tts, "Thanks for calling.", first.open, { voice: "nova" });
      expect(chunks.every((c) => c.sampleRate === 24000)).toBe(true);
      expect(Array.from(joined(chunks))).toEqual(Array.from(audio));
      const [request] = vendor.requests;
      expect(request!.url).toBe("/v1/audio/speech");
      expect(request!.headers.authorization).toBe("Bearer sk-test");
      expect(JSON.parse(request!.body.toString())).toEqual({
        model: "gpt-4o-mini-tts",
        input: "Thanks for calling.",
        voice: "nova",
        response_format: "pcm",
      });
    } finally {
      await vendor.close();
    }
  });

  it("makes no request for empty text", async () => {
    const vendor = await startRawServer((_request, response) => {
      response.end();
    });
    try {
      const tts = createOpenAITextToSpeech({ apiKey: "k", baseUrl: vendor.url, fetch: guardedFetch });
      expect(await synthesizeAll(tts, "   ", () => {})).toEqual([]);
      expect(vendor.requests).toHaveLength(0);
    } finally {
      await vendor.close();
    }
  });
});

describe("Cartesia text-to-speech", () => {
  it("posts to /tts/bytes with X-API-Key, Cartesia-Version and a raw pcm_s16le format", async () => {
    const first = gate();
    const vendor = await startRawServer(streamingVendor(first.seen));
    try {
      const tts = createCartesiaTextToSpeech({ apiKey: "ct-test", baseUrl: vendor.url, fetch: guardedFetch });
      const chunks = await synthesizeAll(tts, "One moment please.", first.open, { voice: "voice-uuid" });
      expect(Array.from(joined(chunks))).toEqual(Array.from(audio));
      const [request] = vendor.requests;
      expect(request!.url).toBe("/tts/bytes");
      expect(request!.headers["x-api-key"]).toBe("ct-test");
      expect(request!.headers["cartesia-version"]).toBe(CARTESIA_VERSION);
      expect(JSON.parse(request!.body.toString())).toEqual({
        model_id: "sonic-2",
        transcript: "One moment please.",
        voice: { mode: "id", id: "voice-uuid" },
        output_format: { container: "raw", encoding: "pcm_s16le", sample_rate: 16000 },
        language: "en",
      });
    } finally {
      await vendor.close();
    }
  });

  it("reports a server error as retryable", async () => {
    const vendor = await startRawServer((_request, response) => {
      response.writeHead(503);
      response.end("overloaded");
    });
    try {
      const tts = createCartesiaTextToSpeech({ apiKey: "k", baseUrl: vendor.url, fetch: guardedFetch });
      await expect(synthesizeAll(tts, "Hi.", () => {})).rejects.toMatchObject({
        upstreamStatus: 503,
        retryable: true,
      });
    } finally {
      await vendor.close();
    }
  });
});
