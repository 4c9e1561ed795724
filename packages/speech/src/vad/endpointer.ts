/**
 * Turns per-frame speech probabilities into turn events. Speech must last `minSpeechMs`
 * before `speech-start` fires (coughs and clicks do not start a turn) and silence must last
 * `endSilenceMs` before `speech-end` fires (a pause between words does not end one).
 * Hysteresis: once in speech, a frame only counts as silence below `threshold - 0.15`.
 *
 * Times are on the audio timeline (milliseconds of audio fed so far), not the wall clock,
 * so behaviour is identical in tests and live calls.
 */
export interface EndpointerOptions {
  /** Probability at or above which a frame is speech. Default 0.5. */
  threshold?: number;
  /** Continuous speech needed to start a turn. Default 150 ms. */
  minSpeechMs?: number;
  /** Continuous silence needed to end a turn. Default 600 ms. */
  endSilenceMs?: number;
}

export type EndpointEvent =
  | { type: "speech-start" /** When the speech began. */; atMs: number }
  | {
      type: "speech-end";
      /** When the trailing silence began, i.e. the end of the last word. */
      atMs: number;
      /** From speech start to `atMs`. */
      speechMs: number;
    };

export type EndpointState = "silence" | "speech";

export class Endpointer {
  readonly threshold: number;
  readonly minSpeechMs: number;
  readonly endSilenceMs: number;
  private currentState: EndpointState = "silence";
  private nowMs = 0;
  /** Start of the current run of speech (while silent) or of silence (while speaking). */
  private runStartMs = -1;
  private speechStartMs = 0;

  constructor(options: EndpointerOptions = {}) {
    this.threshold = options.threshold ?? 0.5;
    this.minSpeechMs = options.minSpeechMs ?? 150;
    this.endSilenceMs = options.endSilenceMs ?? 600;
  }

  get state(): EndpointState {
    return this.currentState;
  }

  /** Audio time consumed so far, in milliseconds. */
  get timeMs(): number {
    return this.nowMs;
  }

  /** Feed the probability for the next `durationMs` of audio; returns an event when one fires. */
  update(probability: number, durationMs: number): EndpointEvent | undefined {
    const frameStart = this.nowMs;
    this.nowMs += durationMs;
    if (this.currentState === "silence") {
      if (probability < this.threshold) {
        this.runStartMs = -1;
        return undefined;
      }
      if (this.runStartMs < 0) this.runStartMs = frameStart;
      if (this.nowMs - this.runStartMs < this.minSpeechMs) return undefined;
      this.currentState = "speech";
      this.speechStartMs = this.runStartMs;
      this.runStartMs = -1;
      return { type: "speech-start", atMs: this.speechStartMs };
    }
    if (probability >= this.threshold - 0.15) {
      this.runStartMs = -1;
      return undefined;
    }
    if (this.runStartMs < 0) this.runStartMs = frameStart;
    if (this.nowMs - this.runStartMs < this.endSilenceMs) return undefined;
    const atMs = this.runStartMs;
    this.currentState = "silence";
    this.runStartMs = -1;
    return { type: "speech-end", atMs, speechMs: atMs - this.speechStartMs };
  }

  reset(): void {
    this.currentState = "silence";
    this.nowMs = 0;
    this.runStartMs = -1;
    this.speechStartMs = 0;
  }
}
