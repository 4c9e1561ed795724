import type { VoiceSession } from "../session/voice-session.ts";

/**
 * Feeds a VoiceSession like a transport does, for tests and benchmarks: whole frames, with
 * a short wait between frames so engines running elsewhere (child processes, worker
 * threads, timers) make progress. Waits are far shorter than a frame, so the session clock
 * runs faster than real time; everything in the session is paced by that clock.
 */
export interface DriveOptions {
  /** Wall-clock wait after each frame. Default 1 ms. */
  frameDelayMs?: number;
}

export async function pushSpeech(
  session: VoiceSession,
  samples: Int16Array,
  options: DriveOptions = {},
): Promise<void> {
  const size = session.frameSamples;
  for (let offset = 0; offset < samples.length && !session.ended; offset += size) {
    let frame = samples.subarray(offset, offset + size);
    if (frame.length < size) {
      const padded = new Int16Array(size);
      padded.set(frame);
      frame = padded;
    }
    session.pushAudio(frame);
    await sleep(options.frameDelayMs ?? 1);
  }
}

/**
 * Push silent frames until `done()` or `maxMs` of session clock; returns whether `done()`
 * became true.
 */
export async function pushSilenceUntil(
  session: VoiceSession,
  done: () => boolean,
  options: DriveOptions & { maxMs: number },
): Promise<boolean> {
  const silence = new Int16Array(session.frameSamples);
  const until = session.clockMs + options.maxMs;
  while (!done()) {
    if (session.ended || session.clockMs >= until) return false;
    session.pushAudio(silence);
    await sleep(options.frameDelayMs ?? 1);
  }
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
