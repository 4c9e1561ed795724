import type { PcmChunk, SynthesizeOptions, TextToSpeech, TextToSpeechVoice } from "@oratio/core/speech";

/**
 * A timed stand-in for a cloud voice: a tone (or silence) whose length follows the text,
 * delivered in chunks after `firstByteDelayMs`, then paced at `realTimeFactor` (seconds of
 * work per second of audio; 0 = as fast as possible).
 */
export interface FakeTextToSpeechOptions {
  sampleRate?: number;
  /** Request → first chunk. Default 0. */
  firstByteDelayMs?: number;
  /** Synthesis time per second of audio after the first chunk. Default 0. */
  realTimeFactor?: number;
  /** Audio per character of text. Default 60 ms. */
  msPerCharacter?: number;
  /** Chunk length. Default 100 ms. */
  chunkMs?: number;
  /** Tone frequency in Hz, or 0 for silence. Default 440. */
  frequency?: number;
  amplitude?: number;
}

export class FakeTextToSpeech implements TextToSpeech {
  readonly specificationVersion = "v1";
  readonly provider = "fake";
  readonly sampleRate: number;
  readonly voices: readonly TextToSpeechVoice[] = [{ id: "tone", language: "en-US", gender: "neutral" }];
  /** Texts requested, in order. */
  readonly requests: string[] = [];

  constructor(private readonly options: FakeTextToSpeechOptions = {}) {
    this.sampleRate = options.sampleRate ?? 16000;
  }

  /** Length of the audio produced for `text`, in samples. */
  samplesFor(text: string): number {
    return Math.round((text.length * (this.options.msPerCharacter ?? 60) * this.sampleRate) / 1000);
  }

  async *synthesize(text: string, options: SynthesizeOptions = {}): AsyncGenerator<PcmChunk> {
    const { signal } = options;
    signal?.throwIfAborted();
    this.requests.push(text);
    const total = this.samplesFor(text);
    const chunkSamples = Math.max(1, Math.round(((this.options.chunkMs ?? 100) * this.sampleRate) / 1000));
    const frequency = this.options.frequency ?? 440;
    const amplitude = this.options.amplitude ?? 8000;
    const rtf = this.options.realTimeFactor ?? 0;
    await wait(this.options.firstByteDelayMs ?? 0, signal);
    for (let offset = 0; offset < total; offset += chunkSamples) {
      const samples = new Int16Array(Math.min(chunkSamples, total - offset));
      if (frequency > 0) {
        for (let i = 0; i < samples.length; i++) {
          samples[i] = Math.round(
            amplitude * Math.sin((2 * Math.PI * frequency * (offset + i)) / this.sampleRate),
          );
        }
      }
      if (offset > 0 && rtf > 0) await wait(((samples.length * 1000) / this.sampleRate) * rtf, signal);
      yield { samples, sampleRate: this.sampleRate };
    }
  }
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
