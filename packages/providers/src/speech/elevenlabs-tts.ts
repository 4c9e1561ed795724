import type { PcmChunk, SynthesizeOptions, TextToSpeech } from "@oratio/core/speech";
import { type FetchLike, joinUrl, readPcmBody, request } from "./http.ts";

/**
 * ElevenLabs streaming speech: `POST /v1/text-to-speech/{voice_id}/stream` with
 * `output_format=pcm_<rate>` answers raw PCM16 LE mono as it is generated.
 */
export interface ElevenLabsTextToSpeechOptions {
  apiKey: string;
  /** Default `https://api.elevenlabs.io`. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Default `eleven_flash_v2_5` (their lowest-latency model). */
  model?: string;
  /** Voice id used when a request names none. */
  voice?: string;
  /** PCM output rate. Default 16000. */
  sampleRate?: 16000 | 22050 | 24000;
}

/** A premade voice ("George") available on every account. */
export const ELEVENLABS_DEFAULT_VOICE = "JBFqnCBsd6RMkjVDRZzb";

export function createElevenLabsTextToSpeech(options: ElevenLabsTextToSpeechOptions): TextToSpeech {
  const baseUrl = options.baseUrl ?? "https://api.elevenlabs.io";
  const fetch = options.fetch ?? globalThis.fetch;
  const sampleRate = options.sampleRate ?? 16000;
  const defaultVoice = options.voice ?? ELEVENLABS_DEFAULT_VOICE;
  const model = options.model ?? "eleven_flash_v2_5";

  async function* synthesize(text: string, synth: SynthesizeOptions = {}): AsyncGenerator<PcmChunk> {
    if (!text.trim()) return;
    const voice = synth.voice ?? defaultVoice;
    const url = joinUrl(
      baseUrl,
      `/v1/text-to-speech/${encodeURIComponent(voice)}/stream?output_format=pcm_${sampleRate}`,
    );
    const body: Record<string, unknown> = { text, model_id: model };
    if (synth.speed !== undefined) body.voice_settings = { speed: synth.speed };
    const response = await request(
      "elevenlabs",
      fetch,
      url,
      {
        method: "POST",
        headers: { "xi-api-key": options.apiKey, "content-type": "application/json" },
        body: JSON.stringify(body),
      },
      synth.signal,
    );
    yield* readPcmBody("elevenlabs", response, sampleRate, synth.signal);
  }

  return {
    specificationVersion: "v1",
    provider: "elevenlabs",
    sampleRate,
    voices: [{ id: defaultVoice, language: "multilingual" }],
    synthesize,
  };
}
