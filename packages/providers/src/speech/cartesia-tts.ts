import type { PcmChunk, SynthesizeOptions, TextToSpeech } from "@oratio/core/speech";
import { type FetchLike, joinUrl, readPcmBody, request } from "./http.ts";

/**
 * Cartesia Sonic: `POST /tts/bytes` with a raw `pcm_s16le` output format streams the audio
 * bytes as they are generated. Requests carry `X-API-Key` and the dated `Cartesia-Version`
 * the request shape below was written against.
 */
export interface CartesiaTextToSpeechOptions {
  apiKey: string;
  /** Default `https://api.cartesia.ai`. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Default `sonic-2`. */
  model?: string;
  /** Voice id used when a request names none. */
  voice?: string;
  /** Spoken language (ISO 639-1). Default `en`. */
  language?: string;
  /** PCM output rate. Default 16000. */
  sampleRate?: 8000 | 16000 | 22050 | 24000 | 44100 | 48000;
}

export const CARTESIA_VERSION = "2025-04-16";
/** A stock English voice from Cartesia's library. */
export const CARTESIA_DEFAULT_VOICE = "694f9389-aac1-45b6-b726-9d9369183238";

export function createCartesiaTextToSpeech(options: CartesiaTextToSpeechOptions): TextToSpeech {
  const baseUrl = options.baseUrl ?? "https://api.cartesia.ai";
  const fetch = options.fetch ?? globalThis.fetch;
  const sampleRate = options.sampleRate ?? 16000;
  const defaultVoice = options.voice ?? CARTESIA_DEFAULT_VOICE;
  const model = options.model ?? "sonic-2";
  const language = options.language ?? "en";

  async function* synthesize(text: string, synth: SynthesizeOptions = {}): AsyncGenerator<PcmChunk> {
    if (!text.trim()) return;
    const body = {
      model_id: model,
      transcript: text,
      voice: { mode: "id", id: synth.voice ?? defaultVoice },
      output_format: { container: "raw", encoding: "pcm_s16le", sample_rate: sampleRate },
      language,
    };
    const response = await request(
      "cartesia",
      fetch,
      joinUrl(baseUrl, "/tts/bytes"),
      {
        method: "POST",
        headers: {
          "x-api-key": options.apiKey,
          "cartesia-version": CARTESIA_VERSION,
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
      },
      synth.signal,
    );
    yield* readPcmBody("cartesia", response, sampleRate, synth.signal);
  }

  return {
    specificationVersion: "v1",
    provider: "cartesia",
    sampleRate,
    voices: [{ id: defaultVoice, language }],
    synthesize,
  };
}
