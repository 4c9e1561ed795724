import type { VoiceActivityDetector } from "@oratio/core/speech";
import { SILERO_STATE_SIZE, type SileroBatchRunner } from "./silero-batch.ts";

/**
 * Windows quieter than this RMS (full scale 1) are silence without asking the model:
 * -56 dBFS, well below speech at any normal level (-40 to -20 dBFS) and above the noise floor
 * of a quiet room on a headset or phone line. Like a volume floor in other voice stacks, it
 * spares the model the silent half of a call.
 */
export const SILERO_DEFAULT_MIN_RMS = 0.0016;

/**
 * One call's Silero detector on the shared batched model: it buffers samples to 512-sample
 * windows (256 at 8 kHz), keeps the call's LSTM state and audio context, and answers with
 * the raw speech probability. `process` returns a promise when a window completed, since
 * the window is scored together with every other call's in the next batched run; a window
 * below the volume floor scores 0 at once, leaving the model's state as it was.
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
  /** Sum of squares of the window being filled, for the volume floor. */
  private energy = 0;
  /** LSTM state before the next window, and where the window in flight writes its successor. */
  private state = new Float32Array(SILERO_STATE_SIZE);
  private nextState = new Float32Array(SILERO_STATE_SIZE);
  /** Window buffers free for reuse (a call has one, rarely two, windows in flight). */
  private readonly spareInputs: Float32Array[] = [];
  private last = 0;
  /** The latest window's result while it is being scored. */
  private pending: Promise<number> | undefined;
  /** Bumped by reset(): results of windows fed before it are dropped. */
  private generation = 0;
  private closed = false;

  constructor(
    private readonly runner: SileroBatchRunner,
    /** Volume floor (RMS, full scale 1); 0 sends every window to the model. */
    private readonly minRms = SILERO_DEFAULT_MIN_RMS,
  ) {
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
      const value = samples[i]! / 32768;
      buffer[context + this.filled++] = value;
      this.energy += value * value;
      if (this.filled === this.windowSamples) {
        const quiet = Math.sqrt(this.energy / this.windowSamples) < this.minRms;
        this.energy = 0;
        if (quiet && !this.pending) this.last = 0;
        else {
          const input = this.spareInputs.pop() ?? new Float32Array(buffer.length);
          input.set(buffer);
          this.submit(input, quiet);
        }
        // The next window is prefixed with the end of this one, as the model was trained.
        buffer.copyWithin(0, this.windowSamples);
        this.filled = 0;
      }
    }
    return this.pending ?? this.last;
  }

  reset(): void {
    this.generation++;
    this.buffer.fill(0);
    this.filled = 0;
    this.energy = 0;
    // Fresh buffers: a window still in flight may write into the old ones.
    this.state = new Float32Array(SILERO_STATE_SIZE);
    this.nextState = new Float32Array(SILERO_STATE_SIZE);
    this.last = 0;
    this.pending = undefined;
  }

  close(): void {
    // The model is shared by the process; closing only stops this call's use of it.
    this.closed = true;
    this.pending = undefined;
  }

  /** Scores a window after the call's previous one; a `quiet` one just scores 0 in its turn. */
  private submit(input: Float32Array, quiet: boolean): void {
    const generation = this.generation;
    const previous = this.pending;
    const score = async (): Promise<number> => {
      // Each window needs the state the previous one left, so a call's windows run in order.
      if (previous) await previous;
      if (generation !== this.generation || this.closed) return this.last;
      if (quiet) {
        this.spareInputs.push(input);
        this.last = 0;
        return 0;
      }
      const probability = await this.runner.infer(input, this.state, this.nextState);
      this.spareInputs.push(input);
      if (generation === this.generation) {
        [this.state, this.nextState] = [this.nextState, this.state];
        this.last = probability;
      }
      return probability;
    };
    const promise = score();
    this.pending = promise;
    const settle = () => {
      if (this.pending === promise) this.pending = undefined;
    };
    promise.then(settle, settle);
  }
}
