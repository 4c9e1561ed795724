import { UnprocessableError } from "@oratio/core";

/**
 * PCM16 byte ↔ sample views. Wire formats are little-endian, as are the machines Oratio runs
 * on (x64, arm64), so aligned input is viewed without copying.
 */
export function pcm16FromBytes(bytes: Uint8Array): Int16Array {
  if (bytes.byteLength % 2 !== 0) {
    throw new UnprocessableError(`PCM16 audio must have an even number of bytes; got ${bytes.byteLength}.`);
  }
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  // Unaligned views (common for Buffers sliced out of a socket pool) must be copied.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Int16Array(copy.buffer);
}

/** The parts one after another, in one new array (TTS chunks → a whole utterance). */
export function concatPcm16(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A byte view over the samples (no copy). */
export function pcm16ToBytes(samples: Int16Array): Uint8Array {
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** PCM16 → float in [-1, 1). Pass `out` to avoid an allocation. */
export function pcm16ToFloat32(samples: Int16Array, out = new Float32Array(samples.length)): Float32Array {
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** Float → PCM16 with clipping. */
export function float32ToPcm16(samples: Float32Array, out = new Int16Array(samples.length)): Int16Array {
  for (let i = 0; i < samples.length; i++) out[i] = clampToInt16(samples[i]! * 32768);
  return out;
}

export function clampToInt16(value: number): number {
  if (value >= 32767) return 32767;
  if (value <= -32768) return -32768;
  return Math.round(value);
}

/** Root-mean-square level in PCM16 units; a cheap loudness measure. */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / samples.length);
}
