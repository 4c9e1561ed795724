import { ValidationError } from "@oratio/core";

/**
 * Cuts arbitrary-length PCM16 chunks (socket messages, TTS output) into fixed frames,
 * 20 ms by default: the unit every processor, VAD and transport works in.
 */
export interface AudioFramerOptions {
  sampleRate: number;
  /** Frame length in milliseconds; 10, 20 or 30 are typical. Default 20. */
  frameMs?: number;
}

/** Samples in one frame of `frameMs` at `sampleRate`; refuses a length that is not whole. */
export function samplesPerFrame(sampleRate: number, frameMs: number): number {
  const frameSamples = (sampleRate * frameMs) / 1000;
  if (!Number.isInteger(frameSamples) || frameSamples <= 0) {
    throw new ValidationError(`${frameMs} ms is not a whole number of samples at ${sampleRate} Hz.`);
  }
  return frameSamples;
}

export class AudioFramer {
  readonly sampleRate: number;
  readonly frameSamples: number;
  private pending: Int16Array;
  private pendingLength = 0;

  constructor(options: AudioFramerOptions) {
    const frameSamples = samplesPerFrame(options.sampleRate, options.frameMs ?? 20);
    this.sampleRate = options.sampleRate;
    this.frameSamples = frameSamples;
    this.pending = new Int16Array(frameSamples);
  }

  /** Samples held back until the next frame completes. */
  get bufferedSamples(): number {
    return this.pendingLength;
  }

  /**
   * Feed a chunk; `onFrame` receives each completed frame. Frames are fresh arrays the
   * receiver may keep (they are queued downstream).
   */
  push(chunk: Int16Array, onFrame: (frame: Int16Array) => void): void {
    let offset = 0;
    if (this.pendingLength > 0) {
      const take = Math.min(this.frameSamples - this.pendingLength, chunk.length);
      this.pending.set(chunk.subarray(0, take), this.pendingLength);
      this.pendingLength += take;
      offset = take;
      if (this.pendingLength < this.frameSamples) return;
      onFrame(this.pending.slice());
      this.pendingLength = 0;
    }
    while (chunk.length - offset >= this.frameSamples) {
      onFrame(chunk.slice(offset, offset + this.frameSamples));
      offset += this.frameSamples;
    }
    if (offset < chunk.length) {
      this.pending.set(chunk.subarray(offset), 0);
      this.pendingLength = chunk.length - offset;
    }
  }

  /** Emit the partial frame padded with silence (end of stream). No-op when empty. */
  flush(onFrame: (frame: Int16Array) => void): void {
    if (this.pendingLength === 0) return;
    const frame = new Int16Array(this.frameSamples);
    frame.set(this.pending.subarray(0, this.pendingLength));
    this.pendingLength = 0;
    onFrame(frame);
  }

  /** Drop buffered samples (after an interruption). */
  clear(): void {
    this.pendingLength = 0;
  }
}
