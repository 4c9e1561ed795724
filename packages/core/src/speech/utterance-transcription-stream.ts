import { AsyncQueue } from "./async-queue.ts";
import type { SpeechToTextStream, SpeechToTextStreamOptions, TranscriptEvent } from "./speech-to-text.ts";

export interface UtteranceTranscriptionOptions {
  sampleRate: number;
  /** Pieces shorter than this are dropped unsent (engines refuse them, or they are noise). */
  minSamples: number;
  /**
   * Transcribes one utterance. `signal` aborts when the stream is closed; an engine that
   * cannot be stopped mid-clip may finish, and its answer is then dropped.
   */
  transcribe(audio: Int16Array, signal: AbortSignal): Promise<string>;
}

/**
 * The stream of a recogniser that is not streaming (Whisper, an OpenAI-style endpoint):
 * audio is collected until the pipeline says the speaker stopped (`flush`/`end`), the
 * utterance is transcribed, and the answer becomes one final transcript with its offsets in
 * the stream. One utterance is transcribed at a time, so finals come out in the order the
 * audio went in; a failure ends the stream with that error (later audio has nowhere to go).
 */
export class UtteranceTranscriptionStream implements SpeechToTextStream {
  private readonly events = new AsyncQueue<TranscriptEvent>();
  private readonly controller = new AbortController();
  private parts: Int16Array[] = [];
  /** Samples of this stream already handed to a transcription, for offsets. */
  private sent = 0;
  private pending: Promise<void> = Promise.resolve();
  private ended = false;
  private closed = false;
  private readonly onAbort = () => this.close();

  constructor(
    private readonly engine: UtteranceTranscriptionOptions,
    private readonly options: SpeechToTextStreamOptions = {},
  ) {
    options.signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  push(samples: Int16Array): void {
    if (this.ended || this.closed) return;
    this.parts.push(samples.slice());
  }

  flush(): void {
    if (this.ended || this.closed) return;
    const total = this.parts.reduce((sum, part) => sum + part.length, 0);
    const audio = new Int16Array(total);
    let offset = 0;
    for (const part of this.parts) {
      audio.set(part, offset);
      offset += part.length;
    }
    this.parts = [];
    const startSample = this.sent;
    this.sent += total;
    if (total < this.engine.minSamples) return;
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
    this.controller.abort(new Error("The transcription stream was closed."));
    this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterator<TranscriptEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  private async transcribe(audio: Int16Array, startSample: number): Promise<void> {
    if (this.closed) return;
    const text = await this.engine.transcribe(audio, this.controller.signal);
    if (this.closed) return;
    const rate = this.engine.sampleRate;
    this.events.push({
      type: "final",
      text: text.trim(),
      startMs: Math.round((startSample * 1000) / rate),
      endMs: Math.round(((startSample + audio.length) * 1000) / rate),
    });
  }

  private finish(error?: unknown): void {
    this.options.signal?.removeEventListener("abort", this.onAbort);
    // Whatever fails after close() (an aborted request) is not the caller's concern.
    this.events.end(this.closed ? undefined : error);
  }
}
