import { type Frame, frameCategory } from "./frames.ts";

export type FrameDirection = "downstream" | "upstream";

/**
 * One stage of a voice pipeline. Frames enter through `queueFrame`:
 * - system frames are processed immediately, even while a queued frame is being awaited;
 * - other frames wait in a FIFO queue and are processed one at a time, in order;
 * - an `interruption` frame drops queued data frames (control frames stay), aborts
 *   `interruptSignal` so in-flight work (synthesis, generation) stops, then flows on.
 *
 * Subclasses override `processFrame` and call `pushFrame` to pass frames on; the default
 * passes everything through. The queue is two parallel arrays with a moving head, so the
 * per-frame path allocates nothing beyond the frame itself.
 */
export class FrameProcessor {
  readonly name: string;
  private next: FrameProcessor | undefined;
  private previous: FrameProcessor | undefined;
  private queuedFrames: Frame[] = [];
  private queuedDirections: FrameDirection[] = [];
  private head = 0;
  private draining = false;
  private pendingSystemWork = 0;
  private idleWaiters: Array<() => void> = [];
  private interruptController = new AbortController();

  constructor(name?: string) {
    this.name = name ?? new.target.name;
  }

  /** Connect `next` downstream of this processor; returns `next` for chaining. */
  link(next: FrameProcessor): FrameProcessor {
    this.next = next;
    next.previous = this;
    return next;
  }

  /** Aborted when an interruption arrives; a fresh signal is issued afterwards. */
  protected get interruptSignal(): AbortSignal {
    return this.interruptController.signal;
  }

  /** Frames waiting behind the one being processed. */
  get queuedCount(): number {
    return this.queuedFrames.length - this.head;
  }

  /** True while frames are queued or being processed. */
  get busy(): boolean {
    return this.draining || this.pendingSystemWork > 0 || this.queuedCount > 0;
  }

  queueFrame(frame: Frame, direction: FrameDirection = "downstream"): void {
    if (frameCategory(frame) === "system") {
      if (frame.type === "interruption") this.interrupt();
      this.runSystemFrame(frame, direction);
      return;
    }
    this.queuedFrames.push(frame);
    this.queuedDirections.push(direction);
    if (!this.draining) void this.drain();
  }

  /** Resolves once nothing is queued or in flight here. */
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Override to handle frames; call `pushFrame` for anything that should flow on. */
  protected processFrame(frame: Frame, direction: FrameDirection): void | Promise<void> {
    this.pushFrame(frame, direction);
  }

  protected pushFrame(frame: Frame, direction: FrameDirection = "downstream"): void {
    const target = direction === "downstream" ? this.next : this.previous;
    target?.queueFrame(frame, direction);
  }

  private interrupt(): void {
    this.interruptController.abort(new InterruptedError());
    this.interruptController = new AbortController();
    // Keep control frames (end, boundaries) in order; drop everything else still waiting.
    const keptFrames: Frame[] = [];
    const keptDirections: FrameDirection[] = [];
    for (let i = this.head; i < this.queuedFrames.length; i++) {
      const frame = this.queuedFrames[i]!;
      if (frameCategory(frame) === "control") {
        keptFrames.push(frame);
        keptDirections.push(this.queuedDirections[i]!);
      }
    }
    this.queuedFrames = keptFrames;
    this.queuedDirections = keptDirections;
    this.head = 0;
  }

  private runSystemFrame(frame: Frame, direction: FrameDirection): void {
    let result: void | Promise<void>;
    try {
      result = this.processFrame(frame, direction);
    } catch (error) {
      this.reportError(error);
      return;
    }
    if (result instanceof Promise) {
      this.pendingSystemWork++;
      result
        .catch((error: unknown) => this.reportError(error))
        .finally(() => {
          this.pendingSystemWork--;
          this.notifyIfIdle();
        });
    }
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.head < this.queuedFrames.length) {
      const frame = this.queuedFrames[this.head]!;
      const direction = this.queuedDirections[this.head]!;
      this.head++;
      try {
        const result = this.processFrame(frame, direction);
        if (result instanceof Promise) await result;
      } catch (error) {
        this.reportError(error);
      }
      if (this.head > 1024 && this.head * 2 > this.queuedFrames.length) this.compact();
    }
    this.queuedFrames.length = 0;
    this.queuedDirections.length = 0;
    this.head = 0;
    this.draining = false;
    this.notifyIfIdle();
  }

  private compact(): void {
    this.queuedFrames = this.queuedFrames.slice(this.head);
    this.queuedDirections = this.queuedDirections.slice(this.head);
    this.head = 0;
  }

  private reportError(error: unknown): void {
    // Work cut short by an interruption is expected, not a failure.
    if (isInterruption(error)) return;
    this.pushFrame({ type: "error", error, processor: this.name }, "upstream");
  }

  private notifyIfIdle(): void {
    if (this.busy || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Reason given to `interruptSignal` when an interruption frame arrives. */
export class InterruptedError extends Error {
  constructor() {
    super("Interrupted by the user.");
    this.name = "InterruptedError";
  }
}

function isInterruption(error: unknown): boolean {
  if (error instanceof InterruptedError) return true;
  return error instanceof Error && error.name === "AbortError" && error.cause instanceof InterruptedError;
}
