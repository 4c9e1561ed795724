import { describe, expect, it } from "vitest";
import { type Frame, type FrameDirection, FrameProcessor, Pipeline } from "../src/index.ts";

/** Holds each data frame until released, like a TTS stage waiting on synthesis. */
class Gate extends FrameProcessor {
  private release: (() => void) | undefined;
  aborted = 0;
  entered = 0;

  open(): void {
    this.release?.();
  }

  protected override async processFrame(frame: Frame, direction: FrameDirection): Promise<void> {
    if (frame.type === "llm-text") {
      this.entered++;
      const signal = this.interruptSignal;
      await new Promise<void>((resolve, reject) => {
        this.release = resolve;
        signal.addEventListener("abort", () => {
          this.aborted++;
          reject(signal.reason);
        });
      });
    }
    this.pushFrame(frame, direction);
  }
}

describe("Pipeline", () => {
  it("delivers frames downstream in order", async () => {
    const out: Frame[] = [];
    const pipeline = new Pipeline([new FrameProcessor("a"), new FrameProcessor("b")], {
      onDownstream: (f) => out.push(f),
    });
    pipeline.push({ type: "llm-text", text: "one" });
    pipeline.push({ type: "llm-text", text: "two" });
    pipeline.push({ type: "end" });
    await pipeline.idle();
    expect(out).toEqual([
      { type: "llm-text", text: "one" },
      { type: "llm-text", text: "two" },
      { type: "end" },
    ]);
  });

  it("lets system frames overtake queued data while a frame is in flight", async () => {
    const out: string[] = [];
    const gate = new Gate();
    const pipeline = new Pipeline([gate], { onDownstream: (f) => out.push(f.type) });
    pipeline.push({ type: "llm-text", text: "held" });
    pipeline.push({ type: "tts-text", text: "queued" });
    pipeline.push({ type: "user-started-speaking" });
    expect(out).toEqual(["user-started-speaking"]);
    gate.open();
    await pipeline.idle();
    expect(out).toEqual(["user-started-speaking", "llm-text", "tts-text"]);
  });

  it("flushes queued data on interruption, keeps control frames and aborts in-flight work", async () => {
    const out: Frame[] = [];
    const gate = new Gate();
    const pipeline = new Pipeline([gate], { onDownstream: (f) => out.push(f) });
    pipeline.push({ type: "llm-text", text: "in flight" });
    pipeline.push({ type: "output-audio", samples: new Int16Array(320), sampleRate: 16000 });
    pipeline.push({ type: "llm-response-end" });
    pipeline.push({ type: "llm-text", text: "stale" });
    expect(gate.queuedCount).toBe(3);
    pipeline.push({ type: "interruption" });
    await pipeline.idle();
    expect(gate.aborted).toBe(1);
    expect(gate.entered).toBe(1);
    expect(out.map((f) => f.type)).toEqual(["interruption", "llm-response-end"]);
    // After the interruption the processor works normally again.
    pipeline.push({ type: "llm-text", text: "fresh" });
    await Promise.resolve();
    gate.open();
    await pipeline.idle();
    expect(out.at(-1)).toEqual({ type: "llm-text", text: "fresh" });
  });

  it("reports processor failures upstream as error frames and keeps going", async () => {
    const upstream: Frame[] = [];
    const downstream: Frame[] = [];
    class Failing extends FrameProcessor {
      protected override processFrame(frame: Frame, direction: FrameDirection): void {
        if (frame.type === "llm-text" && frame.text === "bad") throw new Error("boom");
        this.pushFrame(frame, direction);
      }
    }
    const pipeline = new Pipeline([new Failing()], {
      onUpstream: (f) => upstream.push(f),
      onDownstream: (f) => downstream.push(f),
    });
    pipeline.push({ type: "llm-text", text: "bad" });
    pipeline.push({ type: "llm-text", text: "good" });
    await pipeline.idle();
    expect(upstream).toHaveLength(1);
    expect(upstream[0]).toMatchObject({ type: "error", processor: "Failing" });
    expect(downstream).toEqual([{ type: "llm-text", text: "good" }]);
  });
});
