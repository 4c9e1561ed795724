/**
 * G.711 μ-law and A-law ↔ PCM16, table-driven: one array lookup per sample in either
 * direction, because telephony audio passes through here on every 20 ms frame of every call.
 */

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

function encodeMulawSample(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = sample < 0 ? -sample : sample;
  if (magnitude > MULAW_CLIP) magnitude = MULAW_CLIP;
  magnitude += MULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function decodeMulawSample(byte: number): number {
  const value = ~byte & 0xff;
  const exponent = (value >> 4) & 0x07;
  const magnitude = ((((value & 0x0f) << 3) + MULAW_BIAS) << exponent) - MULAW_BIAS;
  return value & 0x80 ? -magnitude : magnitude;
}

function encodeAlawSample(sample: number): number {
  let sign = 0x80;
  let magnitude = sample;
  if (magnitude < 0) {
    sign = 0;
    magnitude = -magnitude - 1;
  }
  if (magnitude > 32767) magnitude = 32767;
  let encoded: number;
  if (magnitude < 256) {
    encoded = magnitude >> 4;
  } else {
    let exponent = 7;
    for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 1; mask >>= 1) exponent--;
    encoded = (exponent << 4) | ((magnitude >> (exponent + 3)) & 0x0f);
  }
  return (encoded | sign) ^ 0x55;
}

function decodeAlawSample(byte: number): number {
  const value = byte ^ 0x55;
  const exponent = (value & 0x70) >> 4;
  let magnitude = (value & 0x0f) << 4;
  magnitude += exponent === 0 ? 8 : 0x108;
  if (exponent > 1) magnitude <<= exponent - 1;
  return value & 0x80 ? magnitude : -magnitude;
}

// Encoders are indexed by the sample's top 14 bits (μ-law) or 13 bits (A-law): the low bits
// never change the encoded byte, so the tables stay small (16 KiB and 8 KiB).
const MULAW_DECODE = new Int16Array(256);
const ALAW_DECODE = new Int16Array(256);
const MULAW_ENCODE = new Uint8Array(1 << 14);
const ALAW_ENCODE = new Uint8Array(1 << 13);

for (let byte = 0; byte < 256; byte++) {
  MULAW_DECODE[byte] = decodeMulawSample(byte);
  ALAW_DECODE[byte] = decodeAlawSample(byte);
}
for (let index = 0; index < 1 << 14; index++) {
  MULAW_ENCODE[index] = encodeMulawSample((index << 2) - 32768);
}
for (let index = 0; index < 1 << 13; index++) {
  ALAW_ENCODE[index] = encodeAlawSample((index << 3) - 32768);
}

/** μ-law bytes → PCM16. Pass `out` (same length) to avoid an allocation. */
export function mulawToPcm16(bytes: Uint8Array, out = new Int16Array(bytes.length)): Int16Array {
  for (let i = 0; i < bytes.length; i++) out[i] = MULAW_DECODE[bytes[i]!]!;
  return out;
}

/** PCM16 → μ-law bytes. Pass `out` (same length) to avoid an allocation. */
export function pcm16ToMulaw(samples: Int16Array, out = new Uint8Array(samples.length)): Uint8Array {
  for (let i = 0; i < samples.length; i++) out[i] = MULAW_ENCODE[(samples[i]! + 32768) >> 2]!;
  return out;
}

/** A-law bytes → PCM16. Pass `out` (same length) to avoid an allocation. */
export function alawToPcm16(bytes: Uint8Array, out = new Int16Array(bytes.length)): Int16Array {
  for (let i = 0; i < bytes.length; i++) out[i] = ALAW_DECODE[bytes[i]!]!;
  return out;
}

/** PCM16 → A-law bytes. Pass `out` (same length) to avoid an allocation. */
export function pcm16ToAlaw(samples: Int16Array, out = new Uint8Array(samples.length)): Uint8Array {
  for (let i = 0; i < samples.length; i++) out[i] = ALAW_ENCODE[(samples[i]! + 32768) >> 3]!;
  return out;
}
