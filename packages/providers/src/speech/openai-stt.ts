import { ProviderError } from "@oratio/core";
import {
  type SpeechToText,
  type SpeechToTextStreamOptions,
  UtteranceTranscriptionStream,
} from "@oratio/core/speech";
import { type FetchLike, joinUrl, request } from "./http.ts";
import { pcm16Wav } from "./pcm.ts";

/**
 * OpenAI transcription (`POST {base}/audio/transcriptions`, multipart, a WAV per utterance).
 * The endpoint is not streaming: audio is collected until the pipeline says the speaker
 * stopped (`flush`/`end`), then sent, and the answer becomes one final transcript. Any
 * server speaking this endpoint (a self-hosted Whisper server) works through `baseUrl`.
 */
export interface OpenAISpeechToTextOptions {
  apiKey?: string;
  /** Default `https://api.openai.com/v1`. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Default `gpt-4o-mini-transcribe`; `whisper-1` and `gpt-4o-transcribe` also work. */
  model?: string;
}

const SAMPLE_RATE = 16000;
/** The endpoint refuses clips shorter than 0.1 s; shorter pieces are noise anyway. */
const MIN_SAMPLES = SAMPLE_RATE / 10;

export function createOpenAISpeechToText(options: OpenAISpeechToTextOptions = {}): SpeechToText {
  const config = {
    url: joinUrl(options.baseUrl ?? "https://api.openai.com/v1", "/audio/transcriptions"),
    fetch: options.fetch ?? globalThis.fetch,
    model: options.model ?? "gpt-4o-mini-transcribe",
    apiKey: options.apiKey,
  };
  return {
    specificationVersion: "v1",
    provider: "openai",
    capabilities: { streaming: false, interimResults: false },
    sampleRate: SAMPLE_RATE,
    stream: async (streamOptions: SpeechToTextStreamOptions = {}) => {
      streamOptions.signal?.throwIfAborted();
      return new UtteranceTranscriptionStream(
        {
          sampleRate: SAMPLE_RATE,
          minSamples: MIN_SAMPLES,
          transcribe: (audio, signal) => transcribeClip(config, streamOptions, audio, signal),
        },
        streamOptions,
      );
    },
  };
}

type Config = { url: string; fetch: FetchLike; model: string; apiKey: string | undefined };

async function transcribeClip(
  config: Config,
  options: SpeechToTextStreamOptions,
  audio: Int16Array,
  signal: AbortSignal,
): Promise<string> {
  const boundary = `oratio-${crypto.randomUUID()}`;
  const fields: Record<string, string> = { model: config.model, response_format: "json" };
  const language = options.language?.split("-")[0]?.toLowerCase();
  if (language) fields.language = language;
  const headers: Record<string, string> = { "content-type": `multipart/form-data; boundary=${boundary}` };
  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
  const response = await request(
    "openai",
    config.fetch,
    config.url,
    { method: "POST", headers, body: multipart(boundary, fields, pcm16Wav(audio, SAMPLE_RATE)) },
    signal,
  );
  const answer = (await response.json().catch(() => undefined)) as { text?: unknown } | undefined;
  if (typeof answer?.text !== "string") {
    throw new ProviderError("openai", "The transcription answer had no text.", { upstreamStatus: 502 });
  }
  return answer.text;
}

/** A multipart/form-data body: text fields, then the WAV as `file`. */
function multipart(
  boundary: string,
  fields: Record<string, string>,
  wav: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  let head = "";
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="utterance.wav"\r\nContent-Type: audio/wav\r\n\r\n`;
  const start = encoder.encode(head);
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(start.length + wav.length + tail.length);
  body.set(start, 0);
  body.set(wav, start.length);
  body.set(tail, start.length + wav.length);
  return body;
}
