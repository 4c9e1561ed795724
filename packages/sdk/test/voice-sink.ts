import type { AudioSink } from "../src/index.ts";

/** One chunk as the sink saw it: when it was to start, how long, and when it was stopped. */
export interface SinkChunk {
  startAt: number;
  duration: number;
  samples: number;
  stoppedAt?: number;
  ended: boolean;
}

/**
 * An AudioSink that keeps the book Web Audio keeps: each scheduled chunk plays from its
 * start time for its duration on the sink's clock unless stopped first, and reports its end
 * later (never during `schedule` or `stop`). The clock is either advanced by hand or follows
 * real time, so tests can ask what a listener would have heard at any moment.
 */
export class RecordingSink implements AudioSink {
  readonly chunks: SinkChunk[] = [];
  private manualTime = 0;
  private readonly origin = performance.now();
  private readonly endings: { chunk: SinkChunk; onEnded: () => void }[] = [];

  constructor(private readonly clock: "manual" | "real" = "manual") {}

  get currentTime(): number {
    return this.clock === "real" ? (performance.now() - this.origin) / 1000 : this.manualTime;
  }

  schedule(samples: Float32Array, sampleRate: number, when: number, onEnded: () => void) {
    const chunk: SinkChunk = {
      startAt: when,
      duration: samples.length / sampleRate,
      samples: samples.length,
      ended: false,
    };
    this.chunks.push(chunk);
    this.endings.push({ chunk, onEnded });
    if (this.clock === "real") {
      setTimeout(() => this.end(chunk), Math.max(0, (when + chunk.duration - this.currentTime) * 1000));
    }
    return {
      stop: () => {
        if (chunk.ended || chunk.stoppedAt !== undefined) return;
        chunk.stoppedAt = this.currentTime;
        queueMicrotask(() => this.end(chunk));
      },
    };
  }

  /** Moves the manual clock on, ending the chunks that finished meanwhile. */
  advance(seconds: number): void {
    this.manualTime += seconds;
    for (const { chunk } of [...this.endings]) {
      if (chunk.startAt + chunk.duration <= this.manualTime) this.end(chunk);
    }
  }

  /** Seconds of audio a listener hears at or after `time` (stopped chunks fall silent). */
  audibleAfter(time: number): number {
    let total = 0;
    for (const chunk of this.chunks) {
      const silentFrom = Math.min(
        chunk.startAt + chunk.duration,
        chunk.stoppedAt ?? Number.POSITIVE_INFINITY,
      );
      total += Math.max(0, silentFrom - Math.max(chunk.startAt, time));
    }
    return total;
  }

  private end(chunk: SinkChunk): void {
    if (chunk.ended) return;
    chunk.ended = true;
    const index = this.endings.findIndex((e) => e.chunk === chunk);
    const [ending] = this.endings.splice(index, 1);
    ending?.onEnded();
  }
}
