/**
 * Two mono tracks → one interleaved stereo track, for call recordings with the caller on
 * the left and the agent on the right. The shorter track is padded with silence.
 */
export function interleaveStereo(left: Int16Array, right: Int16Array): Int16Array {
  const frames = Math.max(left.length, right.length);
  const out = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    out[2 * i] = left[i] ?? 0;
    out[2 * i + 1] = right[i] ?? 0;
  }
  return out;
}

/** Interleaved stereo → two mono tracks. */
export function deinterleaveStereo(stereo: Int16Array): { left: Int16Array; right: Int16Array } {
  const frames = stereo.length >> 1;
  const left = new Int16Array(frames);
  const right = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = stereo[2 * i]!;
    right[i] = stereo[2 * i + 1]!;
  }
  return { left, right };
}

/** Average the channels of interleaved stereo into mono. */
export function downmixToMono(stereo: Int16Array): Int16Array {
  const frames = stereo.length >> 1;
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) out[i] = (stereo[2 * i]! + stereo[2 * i + 1]!) >> 1;
  return out;
}
