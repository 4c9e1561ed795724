import type {
  SpeechToText,
  SpeechToTextStream,
  SpeechToTextStreamOptions,
  TranscriptEvent,
} from "@oratio/core/speech";
import { AsyncQueue } from "@oratio/core/speech";

/**
 * A timed stand-in for a cloud recogniser, for tests and benchmarks of the session engine:
 * it hears nothing, but answers each utterance with the next scripted transcript
 * `finalDelayMs` after the end of speech (`flush()` or `end()`), like a real engine whose
 * final result takes that long.
 */
export interface FakeSpeechToTextOptions {
  /** Transcript per utterance, in order; a function gets the 0-based utterance index. */
  transcripts: readonly string[] | ((index: number) => string);
  /** End of speech → final transcript. Default 0. */
  finalDelayMs?: number;
  /** Time to open a stream. Default 0. */
  openDelayMs?: number;
  sampleRate?: number;
}

export class FakeSpeechToText implements SpeechToText {
  readonly specificationVersion = "v1";
  readonly provider = "fake";
  readonly capabilities = { streaming: true, interimResults: false };
  readonly sampleRate: number;
  /** Utterances answered so far. */
  utterances = 0;
  /** Samples pushed across all streams. */
  samplesHeard = 0;

  constructor(private readonly options: FakeSpeechToTextOptions) {
    this.sampleRate = options.sampleRate ?? 16000;
  }

  async stream(options: SpeechToTextStreamOptions = {}): Promise<SpeechToTextStream> {
    options.signal?.throwIfAborted();
    if (this.options.openDelayMs) await delay(this.options.openDelayMs);
    return new FakeStream(this, options.signal);
  }

  /** The transcript for the next utterance. */
  nextTranscript(): string {
    const index = this.utterances++;
    const { transcripts } = this.options;
    return typeof transcripts === "function" ? transcripts(index) : (transcripts[index] ?? "");
  }

  get finalDelayMs(): number {
    return this.options.finalDelayMs ?? 0;
  }
}

class FakeStream implements SpeechToTextStream {
  private readonly events = new AsyncQueue<TranscriptEvent>();
  private heard = 0;
  private timers = new Set<NodeJS.Timeout>();
  private ending = false;

  constructor(
    private readonly engine: FakeSpeechToText,
    signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener("abort", () => this.close(), { once: true });
  }

  push(samples: Int16Array): void {
    if (this.ending || this.events.ended) return;
    this.heard += samples.length;
    this.engine.samplesHeard += samples.length;
  }

  flush(): void {
    this.answer(false);
  }

  end(): void {
    if (this.ending) return;
    this.ending = true;
    this.answer(true);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.events.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<TranscriptEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  private answer(thenEnd: boolean): void {
    if (this.events.ended) return;
    // Silence-only streams get no transcript, as with a real engine.
    const text = this.heard > 0 ? this.engine.nextTranscript() : undefined;
    this.heard = 0;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (text !== undefined) this.events.push({ type: "final", text });
      if (thenEnd) this.events.end();
    }, this.engine.finalDelayMs);
    this.timers.add(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
