/**
 * Decides what user speech during agent speech means. Speech onset pauses the agent at
 * once (`pause`: stop outbound audio, keep the reply); words that are more than a
 * backchannel confirm it (`interrupt`: cancel generation and pending TTS); if the window
 * passes with only noise or "mm-hmm", the agent carries on (`resume`).
 *
 * Pure and clock-free: callers pass the audio-timeline time of each event, so the same
 * decisions happen in tests and live calls.
 */
export interface InterruptionArbiterOptions {
  /** How long to wait for words after speech onset before resuming. Default 1500 ms. */
  confirmWindowMs?: number;
  /** Words that do not interrupt on their own (lower case). */
  backchannels?: readonly string[];
}

export type InterruptionDecision = "pause" | "interrupt" | "resume";

const DEFAULT_BACKCHANNELS = [
  "mm",
  "mhm",
  "mm-hmm",
  "mmhmm",
  "hmm",
  "hm",
  "uh-huh",
  "uhhuh",
  "uh",
  "um",
  "ah",
  "oh",
  "yeah",
  "yep",
  "yes",
  "ok",
  "okay",
  "right",
  "sure",
  "huh",
  "aha",
];

export class InterruptionArbiter {
  private readonly confirmWindowMs: number;
  private readonly backchannels: Set<string>;
  private speaking = false;
  private pausedAtMs: number | undefined;

  constructor(options: InterruptionArbiterOptions = {}) {
    this.confirmWindowMs = options.confirmWindowMs ?? 1500;
    this.backchannels = new Set(options.backchannels ?? DEFAULT_BACKCHANNELS);
  }

  /** True between `pause` and the following `interrupt` or `resume`. */
  get paused(): boolean {
    return this.pausedAtMs !== undefined;
  }

  get agentSpeaking(): boolean {
    return this.speaking;
  }

  agentStartedSpeaking(): void {
    this.speaking = true;
  }

  /** The reply finished playing (or was cancelled). */
  agentStoppedSpeaking(): void {
    this.speaking = false;
    this.pausedAtMs = undefined;
  }

  userStartedSpeaking(nowMs: number): InterruptionDecision | undefined {
    if (!this.speaking || this.paused) return undefined;
    this.pausedAtMs = nowMs;
    return "pause";
  }

  /** Partial or final user transcript while paused. */
  transcript(text: string): InterruptionDecision | undefined {
    if (!this.paused) return undefined;
    const words = text.toLowerCase().match(/[\p{L}\p{N}'-]+/gu) ?? [];
    if (!words.some((word) => !this.backchannels.has(word))) return undefined;
    this.pausedAtMs = undefined;
    this.speaking = false;
    return "interrupt";
  }

  /** Call regularly (every frame is fine); returns `resume` once the window has passed. */
  tick(nowMs: number): InterruptionDecision | undefined {
    if (this.pausedAtMs === undefined || nowMs - this.pausedAtMs < this.confirmWindowMs) return undefined;
    this.pausedAtMs = undefined;
    return "resume";
  }
}
