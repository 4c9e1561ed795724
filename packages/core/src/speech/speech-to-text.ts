/**
 * Speech-to-text contract (version "v1"). A recogniser opens streams; audio is pushed in
 * as mono PCM16 at the recogniser's `sampleRate`; transcript events come out as an async
 * iterable. Batch-only engines still implement `stream` and report
 * `capabilities.streaming = false` (they answer once input ends).
 */
export interface SpeechToTextCapabilities {
  /** Transcripts arrive while audio is still being pushed. */
  streaming: boolean;
  /** `partial` events are emitted before an utterance is final. */
  interimResults: boolean;
}

export interface TranscriptWord {
  word: string;
  startMs: number;
  endMs: number;
}

export type TranscriptEvent =
  | {
      type: "partial";
      /** Best guess so far for the current utterance; later events replace it. */
      text: string;
    }
  | {
      type: "final";
      /** Settled text of one utterance; never revised. May be empty for noise. */
      text: string;
      /** Offsets in the stream's audio timeline, when the engine reports them. */
      startMs?: number;
      endMs?: number;
      confidence?: number;
      words?: TranscriptWord[];
    };

export interface SpeechToTextStreamOptions {
  /** BCP 47 tag; engines that support one language ignore it. */
  language?: string;
  /** Aborting ends the stream at once and releases the engine. */
  signal?: AbortSignal;
}

export interface SpeechToTextStream extends AsyncIterable<TranscriptEvent> {
  /** Push mono PCM16 at `SpeechToText.sampleRate`. Cheap; never blocks. */
  push(samples: Int16Array): void;
  /**
   * Hint that the speaker stopped (end of turn): the engine should finalise what it has
   * heard so far without waiting for more audio. The stream stays open.
   */
  flush(): void;
  /** No more audio: remaining finals are emitted, then iteration ends. */
  end(): void;
  /** Stop now; pending audio is dropped and iteration ends. Idempotent. */
  close(): void;
}

export interface SpeechToText {
  readonly specificationVersion: "v1";
  /** Stable engine id, e.g. `pocketsphinx`, `deepgram`. */
  readonly provider: string;
  readonly capabilities: SpeechToTextCapabilities;
  /** Input sample rate this engine wants; callers resample to it. */
  readonly sampleRate: number;
  /** Opens a recognition stream. Fails with SpeechEngineUnavailableError when not installed. */
  stream(options?: SpeechToTextStreamOptions): Promise<SpeechToTextStream>;
}
