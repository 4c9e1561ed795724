import type { VoiceActivityDetector } from "@oratio/core/speech";
import { SILERO_STATE_SIZE, type SileroBatchRunner } from "./silero-batch.ts";

/**
 * One call's Silero detector on the shared batched model: it buffers samples to 512-sample
 * windows (256 at 8 kHz), keeps the call's LSTM state and audio context, and answers with
 * the raw speech probability. `process` returns a promise when a window completed, since
 * the window is scored together with every other call's in the next batched run.
 */
export class BatchedSileroVad implements VoiceActivityDetector {
  readonly specificationVersion = "v1";
  readonly provider = "silero";
  readonly sampleRate: number;
  readonly windowSamples: number;
  private readonly contextSamples: number;
  /** Context (end of the previous window) followed by the window being filled. */
  private readonly buffer: Float32Array;
  private filled = 0;
  private state: Float32Array = new Float32Array(SILERO_STATE_SIZE);
  private last = 0;
  /** The latest window's result while it is being scored. */
  private pending: Promise<number> | undefined;
  /** Bumped by reset(): results of windows fed before it are dropped. */
  private generation = 0;
  private closed = false;

  constructor(private readonly runner: SileroBatchRunner) {
    this.sampleRate = runner.sampleRate;
    this.windowSamples = runner.windowSamples;
    this.contextSamples = runner.contextSamples;
    this.buffer = new Float32Array(this.contextSamples + this.windowSamples);
  }

  process(samples: Int16Array): number | Promise<number> {
    if (this.closed) return 0;
    const buffer = this.buffer;
    const context = this.contextSamples;
    for (let i = 0; i < samples.length; i++) {
      buffer[context + this.filled++] = samples[i]! / 32768;
      if (this.filled === this.windowSamples) {
        const input = buffer.slice();
        // The next window is prefixed with the end of this one, as the model was trained.
        buffer.copyWithin(0, this.windowSamples);
        this.filled = 0;
        this.submit(input);
      }
    }
    return this.pending ?? this.last;
  }

  reset(): void {
    this.generation++;
    this.buffer.fill(0);
    this.filled = 0;
    this.state = new Float32Array(SILERO_STATE_SIZE);
    this.last = 0;
    this.pending = undefined;
  }

  close(): void {
    // The model is shared by the process; closing only stops this call's use of it.
    this.closed = true;
    this.pending = undefined;
  }

  private submit(input: Float32Array): void {
    const generation = this.generation;
    const previous = this.pending;
    const score = async (): Promise<number> => {
      // Each window needs the state the previous one left, so a call's windows run in order.
      if (previous) await previous;
      if (generation !== this.generation || this.closed) return this.last;
      const result = await this.runner.infer(input, this.state);
      if (generation === this.generation) {
        this.state = result.state;
        this.last = result.probability;
      }
      return result.probability;
    };
    const promise = score();
    this.pending = promise;
    const settle = () => {
      if (this.pending === promise) this.pending = undefined;
    };
    promise.then(settle, settle);
  }
}
