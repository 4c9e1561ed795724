import type { PcmChunk, SynthesizeOptions, TextToSpeech } from "@oratio/core/speech";
import { type FetchLike, joinUrl, readPcmBody, request } from "./http.ts";

/**
 * OpenAI speech: `POST {base}/audio/speech` with `response_format: "pcm"` streams raw
 * 24 kHz PCM16 LE mono. The voice session resamples it to the call's rate. Any server
 * that speaks this endpoint works through `baseUrl`.
 */
export interface OpenAITextToSpeechOptions {
  apiKey?: string;
  /** Default `https://api.openai.com/v1` (the same convention as the LLM adapter). */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Default `gpt-4o-mini-tts`. */
  model?: string;
  /** Default `alloy`. */
  voice?: string;
}

/** OpenAI's `pcm` format is fixed at this rate. */
export const OPENAI_TTS_SAMPLE_RATE = 24000;

export function createOpenAITextToSpeech(options: OpenAITextToSpeechOptions = {}): TextToSpeech {
  const baseUrl = options.baseUrl ?? "https://api.openai.com/v1";
  const fetch = options.fetch ?? globalThis.fetch;
  const defaultVoice = options.voice ?? "alloy";
  const model = options.model ?? "gpt-4o-mini-tts";

  async function* synthesize(text: string, synth: SynthesizeOptions = {}): AsyncGenerator<PcmChunk> {
    if (!text.trim()) return;
    const body: Record<string, unknown> = {
      model,
      input: text,
      voice: synth.voice ?? defaultVoice,
      response_format: "pcm",
    };
    if (synth.speed !== undefined) body.speed = synth.speed;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    const response = await request(
      "openai",
      fetch,
      joinUrl(baseUrl, "/audio/speech"),
      { method: "POST", headers, body: JSON.stringify(body) },
      synth.signal,
    );
    yield* readPcmBody("openai", response, OPENAI_TTS_SAMPLE_RATE, synth.signal);
  }

  return {
    specificationVersion: "v1",
    provider: "openai",
    sampleRate: OPENAI_TTS_SAMPLE_RATE,
    voices: ["alloy", "ash", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer"].map((id) => ({
      id,
      language: "multilingual",
    })),
    synthesize,
  };
}
