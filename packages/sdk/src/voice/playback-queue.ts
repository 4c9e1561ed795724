/**
 * Plays agent audio as it arrives: each chunk becomes one scheduled source, started exactly
 * where the previous one ends so speech has no gaps, and `clear()` silences everything at
 * once — the chunk playing now and every chunk scheduled after it — when the caller barges
 * in. The scheduling is written against `AudioSink`, which Web Audio implements in the
 * browser (`webAudioSink`), so the bookkeeping is the same code wherever it runs.
 */

/** One chunk handed to the sink: playing, or scheduled to play. */
export interface ScheduledChunk {
  /** Silence it now (or before it starts) and release it; calling twice is harmless. */
  stop(): void;
}

export interface AudioSink {
  /** The sink's clock in seconds; moves forward in real time while audio plays. */
  readonly currentTime: number;
  /**
   * Schedules `samples` (mono, in [-1, 1], at `sampleRate`) to start at `when` on the
   * sink's clock and calls `onEnded` once, later (never during this call), after they
   * finish or are stopped.
   */
  schedule(samples: Float32Array, sampleRate: number, when: number, onEnded: () => void): ScheduledChunk;
}

export interface PlaybackQueueOptions {
  /** Rate of the PCM16 chunks passed to `enqueue`. Default 16000. */
  sampleRate?: number;
  /**
   * How far ahead of the clock playback starts after the queue ran dry: room for network
   * jitter so the next chunk arrives before this one ends. Default 0.06 s.
   */
  startLeadSeconds?: number;
  /** The most the lead grows to on a jittery connection. Default 0.2 s. */
  maxLeadSeconds?: number;
}

/** A queue that ran dry within this long of its last chunk ending was starved mid-speech. */
const STARVED_WITHIN_SECONDS = 0.25;
const LEAD_STEP_SECONDS = 0.02;

export class PlaybackQueue {
  private readonly sampleRate: number;
  private readonly maxLead: number;
  private lead: number;
  private starved = 0;
  private readonly active = new Set<ScheduledChunk>();
  /** Sink time at which the last scheduled chunk ends. */
  private endsAt = 0;
  private closed = false;

  constructor(
    private readonly sink: AudioSink,
    options: PlaybackQueueOptions = {},
  ) {
    this.sampleRate = options.sampleRate ?? 16000;
    this.lead = options.startLeadSeconds ?? 0.06;
    this.maxLead = Math.max(this.lead, options.maxLeadSeconds ?? 0.2);
  }

  /** Current start lead in seconds: grows each time speech was starved mid-flow. */
  get leadSeconds(): number {
    return this.lead;
  }

  /** Times the queue ran dry in the middle of speech (heard as a gap). */
  get underruns(): number {
    return this.starved;
  }

  /** Seconds of audio scheduled but not yet played. */
  get bufferedSeconds(): number {
    return Math.max(0, this.endsAt - this.sink.currentTime);
  }

  /** Chunks playing or waiting to play. */
  get pending(): number {
    return this.active.size;
  }

  /** Schedules one chunk of PCM16 right after what is already queued. */
  enqueue(pcm: Int16Array): void {
    if (this.closed || pcm.length === 0) return;
    const now = this.sink.currentTime;
    if (this.endsAt > 0 && this.endsAt <= now && now - this.endsAt < STARVED_WITHIN_SECONDS) {
      // The next chunk came too late to follow on: jitter, not a pause. Buffer a little more.
      this.starved++;
      this.lead = Math.min(this.maxLead, this.lead + LEAD_STEP_SECONDS);
    }
    // Ran dry (or never started): begin a little ahead so the following chunks keep up.
    const startAt = this.endsAt > now ? this.endsAt : now + this.lead;
    this.endsAt = startAt + pcm.length / this.sampleRate;
    const chunk = this.sink.schedule(pcm16ToFloat32(pcm), this.sampleRate, startAt, () =>
      this.active.delete(chunk),
    );
    this.active.add(chunk);
  }

  /**
   * Barge-in: stops the chunk playing now and drops every chunk scheduled after it.
   * Returns the seconds of audio that were dropped unheard.
   */
  clear(): number {
    const dropped = this.bufferedSeconds;
    const chunks = [...this.active];
    this.active.clear();
    for (const chunk of chunks) chunk.stop();
    this.endsAt = 0;
    return dropped;
  }

  /** Stops playback for good; later chunks are ignored. */
  close(): void {
    this.clear();
    this.closed = true;
  }
}

/** PCM16 → float in [-1, 1). */
export function pcm16ToFloat32(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 0x8000;
  return out;
}
