/**
 * Voice activity detection contract (version "v1"). Detectors are per-session: `process` is
 * on the hot path (every 20 ms frame of every call), so it takes any frame length and
 * buffers internally to its analysis window.
 *
 * A detector answers synchronously with a plain number when no window completed (or when
 * its inference is cheap and local, as WebRTC's is). A detector whose inference is batched
 * across sessions (one model run for every call's window) answers with a promise when a
 * window completed in this call; callers feed the next samples only after it settles, so
 * every frame is judged by its own window.
 */
export interface VoiceActivityDetector {
  readonly specificationVersion: "v1";
  /** Stable engine id, e.g. `silero`, `webrtc`. */
  readonly provider: string;
  /** Input sample rate (mono PCM16) this detector was created for. */
  readonly sampleRate: number;
  /** Samples per analysis window; probabilities change at this granularity. */
  readonly windowSamples: number;
  /**
   * Feed mono PCM16 and get the speech probability (0..1) of the latest complete window.
   * Detectors that only decide (WebRTC) return 0 or 1.
   */
  process(samples: Int16Array): number | Promise<number>;
  /** Forget all state (new call, or after an interruption). */
  reset(): void;
  /** Release native resources. Idempotent. */
  close(): void;
}
