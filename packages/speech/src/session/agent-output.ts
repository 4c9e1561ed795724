import { samplesPerFrame } from "../audio/framer.ts";
import { PlayoutTracker } from "../turn/playout-tracker.ts";

/** Seconds of audio the utterance store starts with; it doubles when an utterance is longer. */
const INITIAL_STORE_SECONDS = 2;
/** A store grown past this by one long utterance is given back at the next utterance. */
const RETAINED_STORE_SECONDS = 60;

/**
 * Agent audio of the current utterance on its way to the caller. TTS audio is cut into
 * frames and held here; `pump` hands frames to the transport no more than `leadMs` ahead
 * of the session clock, so a barge-in can stop the agent within one frame and the
 * transport never holds much that must be cleared.
 *
 * The utterance's audio is kept in one store per output, reused from utterance to utterance,
 * and frames are copied out of it as they are handed out. An utterance lasts seconds, so
 * audio held as one array per frame or per TTS chunk would outlive two young-generation
 * collections and be promoted: each dead array's memory then waits for a full collection,
 * and the pile of it starts one — with fifty calls on one core (`bench/voice-concurrency.ts`)
 * the one full collection left in a 40 s level, a stall every call on the process hears.
 * Copies handed out die young.
 *
 * Two playout positions are kept: the clock's (frames whose scheduled time has passed;
 * decides when the utterance is over) and the tracker's (what the caller heard, from the
 * clock or from transport acknowledgements; decides the heard text and where a resumed
 * utterance restarts).
 */
export interface AgentOutputOptions {
  sampleRate: number;
  frameMs: number;
  leadMs: number;
  playout: "clock" | "transport";
  onFrame: (frame: Int16Array, playoutMs: number) => void;
  /** A segment's first frame is being handed out; `textSoFar` joins every segment started. */
  onSegmentStart?: (textSoFar: string) => void;
}

export class AgentOutput {
  readonly frameSamples: number;
  private readonly tracker = new PlayoutTracker();
  /** The utterance's samples, frame after frame; allocated at the first audio. */
  private store: Int16Array | undefined;
  /** Samples written to the store; whole frames are `frameCount`, the rest a partial frame. */
  private storedSamples = 0;
  private frameCount = 0;
  private playoutStarts: number[] = [];
  private emitted = 0;
  private clockPlayed = 0;
  private playoutEndMs = 0;
  private isPaused = false;
  private complete = false;
  /** Index of each segment's first frame, and its text. */
  private segments: { firstFrame: number; text: string }[] = [];
  /** Segments whose first frame has been handed out. */
  private segmentsStarted = 0;
  /** Session-clock time of the first frame's playout, once one has been handed out. */
  firstPlayoutMs: number | undefined;

  constructor(private readonly options: AgentOutputOptions) {
    this.frameSamples = samplesPerFrame(options.sampleRate, options.frameMs);
  }

  /** Start a new utterance; anything left of the previous one is dropped. */
  reset(): void {
    this.tracker.reset();
    this.storedSamples = 0;
    this.frameCount = 0;
    if (this.store && this.store.length > RETAINED_STORE_SECONDS * this.options.sampleRate)
      this.store = undefined;
    this.playoutStarts = [];
    this.emitted = 0;
    this.clockPlayed = 0;
    this.isPaused = false;
    this.complete = false;
    this.firstPlayoutMs = undefined;
    this.segments = [];
    this.segmentsStarted = 0;
  }

  beginSegment(text: string): void {
    this.tracker.beginSegment(text);
    // The previous segment's audio was flushed to whole frames, so this one starts on a frame.
    this.segments.push({ firstFrame: this.frameCount, text });
  }

  /** TTS audio at the output rate for the current segment. */
  appendAudio(samples: Int16Array): void {
    const store = this.reserve(samples.length);
    store.set(samples, this.storedSamples);
    this.storedSamples += samples.length;
    this.countWholeFrames();
  }

  /** The segment's audio is complete: pad out its last frame with silence. */
  endSegment(): void {
    const partial = this.storedSamples - this.frameCount * this.frameSamples;
    if (partial === 0) return;
    const padding = this.frameSamples - partial;
    this.reserve(padding).fill(0, this.storedSamples, this.storedSamples + padding);
    this.storedSamples += padding;
    this.countWholeFrames();
  }

  /** No more segments will come for this utterance. */
  markComplete(): void {
    this.complete = true;
  }

  get hasAudio(): boolean {
    return this.emitted > 0;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Everything was produced and its scheduled playout time has passed. */
  get finished(): boolean {
    return this.complete && this.clockPlayed === this.frameCount;
  }

  /** Session-clock time the last handed-out frame ends. */
  get endMs(): number {
    return this.playoutEndMs;
  }

  heardText(): string {
    return this.tracker.heardText();
  }

  /** Transport acknowledgement (only counted in `transport` playout mode). */
  markPlayed(samples: number): void {
    if (this.options.playout === "transport") this.tracker.markPlayed(samples);
  }

  /** The clock moved to `clockMs`: account for frames whose playout time has passed. */
  advance(clockMs: number): void {
    while (
      this.clockPlayed < this.emitted &&
      this.playoutStarts[this.clockPlayed]! + this.options.frameMs <= clockMs
    ) {
      this.clockPlayed++;
      if (this.options.playout === "clock") this.tracker.markPlayed(this.frameSamples);
    }
  }

  /** Hand out frames up to the lead limit. Returns how many were handed out. */
  pump(clockMs: number): number {
    if (this.isPaused) return 0;
    let count = 0;
    while (this.emitted < this.frameCount) {
      const start = Math.max(this.playoutEndMs, clockMs);
      if (start - clockMs >= this.options.leadMs) break;
      const offset = this.emitted * this.frameSamples;
      const frame = this.store!.slice(offset, offset + this.frameSamples);
      this.playoutStarts[this.emitted] = start;
      this.emitted++;
      this.playoutEndMs = start + this.options.frameMs;
      this.firstPlayoutMs ??= start;
      count++;
      this.announceSegments(this.emitted - 1);
      this.options.onFrame(frame, start);
    }
    return count;
  }

  /**
   * Stop at once (barge-in onset): nothing more is handed out until `resume`. Handed-out
   * frames the caller has not heard are rewound so a resume replays them.
   */
  pause(clockMs: number): void {
    this.isPaused = true;
    const heardFrames =
      this.options.playout === "clock"
        ? this.clockPlayed
        : Math.min(this.emitted, Math.floor(this.tracker.totalPlayedSamples / this.frameSamples));
    this.emitted = heardFrames;
    this.clockPlayed = Math.min(this.clockPlayed, heardFrames);
    this.playoutStarts.length = heardFrames;
    this.playoutEndMs = clockMs;
    this.segmentsStarted = this.segments.filter((segment) => segment.firstFrame < heardFrames).length;
  }

  resume(): void {
    this.isPaused = false;
  }

  private announceSegments(frameIndex: number): void {
    const before = this.segmentsStarted;
    while (
      this.segmentsStarted < this.segments.length &&
      this.segments[this.segmentsStarted]!.firstFrame <= frameIndex
    )
      this.segmentsStarted++;
    if (this.segmentsStarted === before || !this.options.onSegmentStart) return;
    const text = this.segments
      .slice(0, this.segmentsStarted)
      .map((segment) => segment.text)
      .join(" ");
    this.options.onSegmentStart(text);
  }

  /** The store, with room for `extra` more samples (doubling, so appends stay amortised O(1)). */
  private reserve(extra: number): Int16Array {
    const needed = this.storedSamples + extra;
    let store = this.store;
    if (!store || store.length < needed) {
      let size = store?.length ?? INITIAL_STORE_SECONDS * this.options.sampleRate;
      while (size < needed) size *= 2;
      const grown = new Int16Array(size);
      if (store) grown.set(store.subarray(0, this.storedSamples));
      this.store = store = grown;
    }
    return store;
  }

  /** Frames completed by the samples just stored count towards the segment's audio. */
  private countWholeFrames(): void {
    const whole = Math.floor(this.storedSamples / this.frameSamples);
    if (whole === this.frameCount) return;
    this.tracker.addAudio((whole - this.frameCount) * this.frameSamples);
    this.frameCount = whole;
  }
}
