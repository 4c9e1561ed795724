import { ValidationError } from "@oratio/core";
import { mulawToPcm16, pcm16ToMulaw } from "../audio/g711.ts";
import type { VoiceSession } from "./voice-session.ts";

/**
 * G.711 μ-law 8 kHz transport edge for a VoiceSession (telephony): μ-law bytes in,
 * μ-law frames out. The session works in PCM16 at 8 kHz and resamples internally to the
 * rates its VAD, STT and TTS want.
 */
export class MulawAdapter {
  static readonly SAMPLE_RATE = 8000;

  constructor(private readonly session: VoiceSession) {
    if (session.inputSampleRate !== 8000 || session.outputSampleRate !== 8000) {
      throw new ValidationError(
        `A μ-law transport needs a session at 8000 Hz in and out; got ${session.inputSampleRate}/${session.outputSampleRate}.`,
      );
    }
  }

  /** Caller audio as μ-law bytes (whole frames, 160 bytes per 20 ms). */
  pushMulaw(bytes: Uint8Array): boolean {
    return this.session.pushAudio(mulawToPcm16(bytes));
  }

  /** Agent frames as μ-law; returns an unsubscribe function. */
  onAudio(listener: (mulaw: Uint8Array, playoutMs: number) => void): () => void {
    return this.session.on((event) => {
      if (event.type === "audio") listener(pcm16ToMulaw(event.samples), event.playoutMs);
    });
  }
}
