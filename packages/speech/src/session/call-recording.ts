import { Resampler } from "../audio/resampler.ts";
import { interleaveStereo } from "../audio/stereo.ts";
import { writeWav } from "../audio/wav.ts";
import { PcmTrack } from "./pcm-track.ts";

export interface CallRecordingOptions {
  /**
   * Where audio older than `keepInMemoryMs` is kept until the recording is read (a scratch
   * file per side, gone when the recording is disposed); `false` keeps it all in memory.
   * Default: the system temp directory.
   */
  spillDirectory?: string | false;
  /**
   * Default 2 s: agent frames are written at most a lead (tens of ms) ahead of playout, and
   * a barge-in cuts back no further than that.
   */
  keepInMemoryMs?: number;
}

/**
 * Stereo call recording on the session clock: caller on the left, agent on the right at the
 * caller's sample rate. Agent audio is written where it was scheduled to play and cut back
 * when a barge-in clears what the caller never heard.
 */
export class CallRecording {
  private readonly caller: PcmTrack;
  private readonly agent: PcmTrack;
  private readonly agentResampler: Resampler | undefined;
  /** Where the next contiguous agent frame goes, in recording samples. */
  private agentCursor = -1;

  constructor(
    readonly sampleRate: number,
    agentSampleRate: number,
    options: CallRecordingOptions = {},
  ) {
    // Recent audio stays in memory: agent frames are written a little ahead of playout and
    // a barge-in cuts back to what was heard, both within the last few seconds.
    const track = {
      spillDirectory: options.spillDirectory,
      keepInMemorySamples: Math.round(((options.keepInMemoryMs ?? 2000) * sampleRate) / 1000),
    };
    this.caller = new PcmTrack(track);
    this.agent = new PcmTrack(track);
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

  /** Frees the recording's memory and scratch files; it cannot be read afterwards. */
  dispose(): void {
    this.caller.dispose();
    this.agent.dispose();
  }

  /** Chunks of both sides held in memory (the rest is on disk). */
  get chunksInMemory(): number {
    return this.caller.chunksInMemory + this.agent.chunksInMemory;
  }
}
