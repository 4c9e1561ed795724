import { ProviderError } from "@oratio/core";
import type {
  SpeechToText,
  SpeechToTextStream,
  SpeechToTextStreamOptions,
  TranscriptEvent,
} from "@oratio/core/speech";
import { AsyncQueue } from "@oratio/core/speech";
import { type FetchLike, joinUrl, request } from "./http.ts";
import { concatSamples, pcm16Wav } from "./pcm.ts";

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
      return new TranscriptionStream(config, streamOptions);
    },
  };
}

type Config = { url: string; fetch: FetchLike; model: string; apiKey: string | undefined };

class TranscriptionStream implements SpeechToTextStream {
  private readonly events = new AsyncQueue<TranscriptEvent>();
  private readonly controller = new AbortController();
  private parts: Int16Array[] = [];
  /** Samples of this stream already handed to a request, for offsets. */
  private sent = 0;
  private pending: Promise<void> = Promise.resolve();
  private ended = false;
  private closed = false;
  private readonly onAbort = () => this.close();

  constructor(
    private readonly config: Config,
    private readonly options: SpeechToTextStreamOptions,
  ) {
    options.signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  push(samples: Int16Array): void {
    if (this.ended || this.closed) return;
    this.parts.push(samples.slice());
  }

  flush(): void {
    if (this.ended || this.closed) return;
    const audio = concatSamples(this.parts);
    this.parts = [];
    const startSample = this.sent;
    this.sent += audio.length;
    if (audio.length < MIN_SAMPLES) return;
    // One request at a time, so finals come out in the order the audio went in.
    // A failure ends the stream at once with that error (later audio has nowhere to go).
    this.pending = this.pending
      .then(() => this.transcribe(audio, startSample))
      .catch((error: unknown) => this.finish(error));
  }

  end(): void {
    if (this.ended || this.closed) return;
    this.flush();
    this.ended = true;
    void this.pending.then(() => this.finish());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.controller.abort(new ProviderError("openai", "The transcription stream was closed."));
    this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterator<TranscriptEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  private async transcribe(audio: Int16Array, startSample: number): Promise<void> {
    if (this.closed) return;
    const boundary = `oratio-${crypto.randomUUID()}`;
    const fields: Record<string, string> = { model: this.config.model, response_format: "json" };
    const language = this.options.language?.split("-")[0]?.toLowerCase();
    if (language) fields.language = language;
    const headers: Record<string, string> = { "content-type": `multipart/form-data; boundary=${boundary}` };
    if (this.config.apiKey) headers.authorization = `Bearer ${this.config.apiKey}`;
    const response = await request(
      "openai",
      this.config.fetch,
      this.config.url,
      { method: "POST", headers, body: multipart(boundary, fields, pcm16Wav(audio, SAMPLE_RATE)) },
      this.controller.signal,
    );
    const answer = (await response.json().catch(() => undefined)) as { text?: unknown } | undefined;
    if (typeof answer?.text !== "string") {
      throw new ProviderError("openai", "The transcription answer had no text.", { upstreamStatus: 502 });
    }
    this.events.push({
      type: "final",
      text: answer.text.trim(),
      startMs: Math.round((startSample * 1000) / SAMPLE_RATE),
      endMs: Math.round(((startSample + audio.length) * 1000) / SAMPLE_RATE),
    });
  }

  private finish(error?: unknown): void {
    this.options.signal?.removeEventListener("abort", this.onAbort);
    this.events.end(this.closed ? undefined : error);
  }
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
