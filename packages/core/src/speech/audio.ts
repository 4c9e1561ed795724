/**
 * Audio shapes shared by every speech engine. Engines speak mono PCM16 (signed 16-bit,
 * little-endian in byte form, `Int16Array` in memory); telephony codecs are converted at
 * the transport edge, never inside an engine.
 */
export type AudioEncoding = "pcm16" | "mulaw" | "alaw";

export interface AudioFormat {
  encoding: AudioEncoding;
  /** Samples per second per channel, e.g. 8000, 16000, 24000, 48000. */
  sampleRate: number;
  /** 1 for mono, 2 for interleaved stereo. */
  channels: number;
}

/** A run of mono PCM16 samples with the rate they were produced at. */
export interface PcmChunk {
  samples: Int16Array;
  sampleRate: number;
}

/** Duration of `sampleCount` mono samples in milliseconds. */
export function samplesToMs(sampleCount: number, sampleRate: number): number {
  return (sampleCount * 1000) / sampleRate;
}

/** Number of mono samples covering `ms` milliseconds (rounded down). */
export function msToSamples(ms: number, sampleRate: number): number {
  return Math.floor((ms * sampleRate) / 1000);
}
