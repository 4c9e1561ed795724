import { type FrameDirection, FrameProcessor } from "./frame-processor.ts";
import type { Frame } from "./frames.ts";

/**
 * A chain of processors with two ends: frames pushed into `push` flow downstream and leave
 * through `onDownstream`; frames a processor sends upstream (errors, requests) leave through
 * `onUpstream`.
 */
export interface PipelineOptions {
  onDownstream?: (frame: Frame) => void;
  onUpstream?: (frame: Frame) => void;
}

export class Pipeline {
  private readonly source: FrameProcessor;
  private readonly processors: readonly FrameProcessor[];

  constructor(processors: readonly FrameProcessor[], options: PipelineOptions = {}) {
    const source = new Edge("pipeline-source", "upstream", options.onUpstream);
    const sink = new Edge("pipeline-sink", "downstream", options.onDownstream);
    let tail: FrameProcessor = source;
    for (const processor of processors) tail = tail.link(processor);
    tail.link(sink);
    this.source = source;
    this.processors = [source, ...processors, sink];
  }

  push(frame: Frame): void {
    this.source.queueFrame(frame, "downstream");
  }

  /** Resolves when no processor has queued or in-flight frames. */
  async idle(): Promise<void> {
    for (;;) {
      const busy = this.processors.find((processor) => processor.busy);
      if (!busy) return;
      await busy.whenIdle();
    }
  }
}

/** Pass-through processor at either end that hands frames leaving the chain to a callback. */
class Edge extends FrameProcessor {
  constructor(
    name: string,
    private readonly exitDirection: FrameDirection,
    private readonly onExit: ((frame: Frame) => void) | undefined,
  ) {
    super(name);
  }

  protected override processFrame(frame: Frame, direction: FrameDirection): void {
    if (direction === this.exitDirection) this.onExit?.(frame);
    else this.pushFrame(frame, direction);
  }
}
