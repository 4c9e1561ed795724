import { Resampler } from "../audio/resampler.ts";
import { interleaveStereo } from "../audio/stereo.ts";
import { writeWav } from "../audio/wav.ts";

/** Samples per chunk of a track: about a second at 16 kHz. */
const CHUNK_SAMPLES = 16384;

/**
 * A mono PCM16 track that can be written at any offset. It grows by whole chunks, never by
 * copying: a call's recording is written 50 times a second for as long as the call lasts,
 * and a doubling array would leave its old copies for the garbage collector, whose long
 * pauses are what make live audio miss its 20 ms deadlines.
 */
class PcmTrack {
  private readonly chunks: Int16Array[] = [];
  length = 0;

  writeAt(offset: number, samples: Int16Array): void {
    // Skipped time between writes stays silent (space reused after a truncate is not zero).
    if (offset > this.length) this.zero(this.length, offset);
    let position = offset;
    let source = 0;
    while (source < samples.length) {
      const within = position % CHUNK_SAMPLES;
      const count = Math.min(CHUNK_SAMPLES - within, samples.length - source);
      this.chunk(Math.floor(position / CHUNK_SAMPLES)).set(samples.subarray(source, source + count), within);
      position += count;
      source += count;
    }
    this.length = Math.max(this.length, offset + samples.length);
  }

  truncate(length: number): void {
    if (length < this.length) this.length = Math.max(0, length);
  }

  view(): Int16Array {
    const out = new Int16Array(this.length);
    for (let i = 0; i * CHUNK_SAMPLES < this.length; i++) {
      const chunk = this.chunks[i]!;
      out.set(chunk.subarray(0, Math.min(CHUNK_SAMPLES, this.length - i * CHUNK_SAMPLES)), i * CHUNK_SAMPLES);
    }
    return out;
  }

  private zero(from: number, to: number): void {
    let position = from;
    while (position < to) {
      const within = position % CHUNK_SAMPLES;
      const count = Math.min(CHUNK_SAMPLES - within, to - position);
      this.chunk(Math.floor(position / CHUNK_SAMPLES)).fill(0, within, within + count);
      position += count;
    }
  }

  private chunk(index: number): Int16Array {
    while (this.chunks.length <= index) this.chunks.push(new Int16Array(CHUNK_SAMPLES));
    return this.chunks[index]!;
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
