import { Resampler } from "../audio/resampler.ts";
import { interleaveStereo } from "../audio/stereo.ts";
import { writeWav } from "../audio/wav.ts";

/** A mono PCM16 track that grows by doubling and can be written at any offset. */
class PcmTrack {
  private data = new Int16Array(16000);
  length = 0;

  writeAt(offset: number, samples: Int16Array): void {
    const end = offset + samples.length;
    if (end > this.data.length) {
      const grown = new Int16Array(Math.max(end, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    // Skipped time between writes stays silent (the grown array is zeroed; reused space is not).
    if (offset > this.length) this.data.fill(0, this.length, offset);
    this.data.set(samples, offset);
    this.length = Math.max(this.length, end);
  }

  truncate(length: number): void {
    if (length < this.length) this.length = Math.max(0, length);
  }

  view(): Int16Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Stereo call recording on the session clock: caller on the left, agent on the right at the
 * caller's sample rate. Agent audio is written where it was scheduled to play and cut back
 * when a barge-in clears what the caller never heard.
 */
export class CallRecording {
  private readonly caller = new PcmTrack();
  private readonly agent = new PcmTrack();
  private readonly agentResampler: Resampler | undefined;
  /** Where the next contiguous agent frame goes, in recording samples. */
  private agentCursor = -1;

  constructor(
    readonly sampleRate: number,
    agentSampleRate: number,
  ) {
    this.agentResampler =
      agentSampleRate === sampleRate ? undefined : new Resampler(agentSampleRate, sampleRate);
  }

  addCaller(frame: Int16Array): void {
    this.caller.writeAt(this.caller.length, frame);
  }

  addAgent(frame: Int16Array, atMs: number): void {
    const position = Math.round((atMs * this.sampleRate) / 1000);
    // Frames normally follow each other; a gap (underrun, resume) starts a new run there.
    const tolerance = Math.ceil(this.sampleRate / 1000);
    if (this.agentCursor < 0 || Math.abs(position - this.agentCursor) > tolerance) {
      this.agentCursor = position;
    }
    const samples = this.agentResampler ? this.agentResampler.process(frame) : frame;
    this.agent.writeAt(this.agentCursor, samples);
    this.agentCursor += samples.length;
  }

  /** Drop agent audio scheduled at or after `atMs` (it was cleared before it played). */
  cutAgent(atMs: number): void {
    this.agent.truncate(Math.round((atMs * this.sampleRate) / 1000));
    this.agentCursor = -1;
    this.agentResampler?.reset();
  }

  get durationMs(): number {
    return (Math.max(this.caller.length, this.agent.length) * 1000) / this.sampleRate;
  }

  toWav(): Uint8Array {
    return writeWav({
      sampleRate: this.sampleRate,
      channels: 2,
      samples: interleaveStereo(this.caller.view(), this.agent.view()),
    });
  }
}
