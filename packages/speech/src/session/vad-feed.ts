import { OratioError } from "@oratio/core";
import type { VoiceActivityDetector } from "@oratio/core/speech";
import type { Resampler } from "../audio/resampler.ts";

type Deliver = (frame: Int16Array, probability: number, wall: number) => void;

/** Frames allowed to wait behind a window being scored: 10 s of 20 ms frames. */
const MAX_WAITING = 500;

/**
 * Runs caller frames through the VAD in order and hands each frame on with its own speech
 * probability. With a synchronous detector that happens inside `push`; with a batched one
 * (whose window is scored together with other calls'), frames that arrive meanwhile wait
 * here — copied, since transports reuse their buffers — and follow in order once it settles.
 * An inference error is reported once per run of failures and the frame counts as silence,
 * so one bad run does not end the call.
 */
export class VadFeed {
  private readonly waiting: Array<{ frame: Int16Array; wall: number }> = [];
  private busy = false;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly vad: VoiceActivityDetector,
    private readonly resampler: Resampler | undefined,
    private readonly deliver: Deliver,
    private readonly onError: (error: unknown) => void,
  ) {}

  push(frame: Int16Array, wall: number): void {
    if (this.stopped) return;
    if (!this.busy) {
      this.run(frame, wall);
      return;
    }
    if (this.waiting.length >= MAX_WAITING) {
      this.stop();
      this.onError(
        new OratioError(503, "vad-overloaded", "Voice activity detection fell behind", {
          detail: `Caller audio waited more than ${(MAX_WAITING * 20) / 1000} s for speech detection.`,
        }),
      );
      return;
    }
    this.waiting.push({ frame: frame.slice(), wall });
  }

  /** Drop waiting frames and ignore results still to come (the call ended). */
  stop(): void {
    this.stopped = true;
    this.waiting.length = 0;
  }

  private run(first: Int16Array, firstWall: number): void {
    let frame: Int16Array | undefined = first;
    let wall = firstWall;
    while (frame && !this.stopped) {
      const result = this.vad.process(this.resampler ? this.resampler.process(frame) : frame);
      if (typeof result !== "number") {
        this.await(result, frame, wall);
        return;
      }
      this.deliver(frame, result, wall);
      const next = this.waiting.shift();
      frame = next?.frame;
      wall = next?.wall ?? 0;
    }
  }

  private await(result: Promise<number>, frame: Int16Array, wall: number): void {
    this.busy = true;
    const settle = (probability: number) => {
      this.busy = false;
      if (this.stopped) return;
      this.deliver(frame, probability, wall);
      const next = this.waiting.shift();
      if (next) this.run(next.frame, next.wall);
    };
    result.then(
      (probability) => {
        this.failing = false;
        settle(probability);
      },
      (error: unknown) => {
        if (!this.failing && !this.stopped) this.onError(error);
        this.failing = true;
        settle(0);
      },
    );
  }
}
