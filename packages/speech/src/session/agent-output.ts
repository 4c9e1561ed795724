import { AudioFramer } from "../audio/framer.ts";
import { PlayoutTracker } from "../turn/playout-tracker.ts";

/**
 * Agent audio of the current utterance on its way to the caller. TTS audio is cut into
 * frames and held here; `pump` hands frames to the transport no more than `leadMs` ahead
 * of the session clock, so a barge-in can stop the agent within one frame and the
 * transport never holds much that must be cleared.
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
  private readonly framer: AudioFramer;
  private readonly tracker = new PlayoutTracker();
  private frames: Int16Array[] = [];
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
    this.framer = new AudioFramer({ sampleRate: options.sampleRate, frameMs: options.frameMs });
    this.frameSamples = this.framer.frameSamples;
  }

  /** Start a new utterance; anything left of the previous one is dropped. */
  reset(): void {
    this.framer.clear();
    this.tracker.reset();
    this.frames = [];
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
    this.segments.push({ firstFrame: this.frames.length, text });
  }

  /** TTS audio at the output rate for the current segment. */
  appendAudio(samples: Int16Array): void {
    this.framer.push(samples, (frame) => this.addFrame(frame));
  }

  /** The segment's audio is complete: pad out its last frame. */
  endSegment(): void {
    this.framer.flush((frame) => this.addFrame(frame));
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
    return this.complete && this.clockPlayed === this.frames.length;
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
    while (this.emitted < this.frames.length) {
      const start = Math.max(this.playoutEndMs, clockMs);
      if (start - clockMs >= this.options.leadMs) break;
      const frame = this.frames[this.emitted]!;
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

  private addFrame(frame: Int16Array): void {
    this.frames.push(frame);
    this.tracker.addAudio(frame.length);
  }
}
