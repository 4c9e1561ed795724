import type { PcmChunk } from "./audio.ts";

/**
 * Text-to-speech contract (version "v1"). `synthesize` streams mono PCM16 chunks as they are
 * ready; callers pass one sentence or clause at a time so the first audio starts early.
 */
export interface TextToSpeechVoice {
  id: string;
  language: string;
  gender?: "female" | "male" | "neutral";
}

export interface SynthesizeOptions {
  /** One of `voices[].id`; engines fall back to their default voice. */
  voice?: string;
  /** Speaking rate multiplier, 1 = normal. */
  speed?: number;
  /** Aborting stops synthesis; the iterable ends with the abort reason. */
  signal?: AbortSignal;
}

export interface TextToSpeech {
  readonly specificationVersion: "v1";
  /** Stable engine id, e.g. `flite`, `piper`, `elevenlabs`. */
  readonly provider: string;
  /** Sample rate of every chunk this engine yields. */
  readonly sampleRate: number;
  readonly voices: readonly TextToSpeechVoice[];
  synthesize(text: string, options?: SynthesizeOptions): AsyncIterable<PcmChunk>;
}
