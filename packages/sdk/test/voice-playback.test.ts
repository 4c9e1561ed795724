import { describe, expect, it } from "vitest";
import { PlaybackQueue, pcm16ToFloat32 } from "../src/index.ts";
import { RecordingSink } from "./voice-sink.ts";

const FRAME = 320; // 20 ms at 16 kHz
const frame = (value = 1000) => new Int16Array(FRAME).fill(value);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("PlaybackQueue", () => {
  it("plays chunks back to back, starting a little ahead after the queue runs dry", () => {
    const sink = new RecordingSink();
    const queue = new PlaybackQueue(sink, { startLeadSeconds: 0.05 });
    sink.advance(1);
    for (let i = 0; i < 3; i++) queue.enqueue(frame());
    expect(sink.chunks.map((c) => c.startAt)).toEqual([1.05, 1.07, 1.09].map((t) => expect.closeTo(t, 9)));
    expect(sink.chunks.every((c) => c.duration === 0.02 && c.samples === FRAME)).toBe(true);
    expect(queue.bufferedSeconds).toBeCloseTo(0.11, 9);
    expect(queue.pending).toBe(3);

    // Chunks that arrive while earlier ones still play join the end of the queue.
    sink.advance(0.08); // the first chunk has ended
    expect(queue.pending).toBe(2);
    queue.enqueue(frame());
    expect(sink.chunks[3]!.startAt).toBeCloseTo(1.11, 9);

    // After a gap the queue ran dry: the next chunk starts ahead of the clock, not in the past.
    sink.advance(1);
    expect(queue.pending).toBe(0);
    queue.enqueue(frame());
    expect(sink.chunks[4]!.startAt).toBeCloseTo(2.13, 9);
  });

  it("on clear, silences the chunk playing now and drops every one queued after it", async () => {
    const sink = new RecordingSink();
    const queue = new PlaybackQueue(sink, { startLeadSeconds: 0.05 });
    for (let i = 0; i < 50; i++) queue.enqueue(frame()); // one second of agent speech
    sink.advance(0.3); // the caller has heard a quarter second of it

    const clearedAt = sink.currentTime;
    const dropped = queue.clear();
    expect(dropped).toBeCloseTo(0.75, 9);
    expect(sink.audibleAfter(clearedAt)).toBe(0);
    expect(queue.bufferedSeconds).toBe(0);
    expect(queue.pending).toBe(0);
    // Every chunk not yet finished was stopped, the one playing included.
    const playing = sink.chunks.filter((c) => c.startAt <= clearedAt && c.startAt + c.duration > clearedAt);
    expect(playing).toHaveLength(1);
    expect(
      sink.chunks.filter((c) => c.startAt + c.duration > clearedAt).every((c) => c.stoppedAt === clearedAt),
    ).toBe(true);
    await settle();
    expect(sink.chunks.every((c) => c.ended || c.startAt + c.duration <= clearedAt)).toBe(true);

    // Speech after the interruption starts fresh, not behind the dropped second.
    sink.advance(0.5);
    queue.enqueue(frame());
    expect(sink.chunks.at(-1)!.startAt).toBeCloseTo(0.85, 9);
    expect(sink.audibleAfter(clearedAt)).toBeCloseTo(0.02, 9);
  });

  it("buffers more after speech was starved mid-flow, up to a limit, but not after a pause", () => {
    const sink = new RecordingSink();
    const queue = new PlaybackQueue(sink, { startLeadSeconds: 0.06, maxLeadSeconds: 0.1 });
    queue.enqueue(frame()); // plays 0.06–0.08
    sink.advance(0.1); // the next chunk is 20 ms late: a gap in the middle of speech
    queue.enqueue(frame());
    expect(queue.underruns).toBe(1);
    expect(queue.leadSeconds).toBeCloseTo(0.08, 9);
    expect(sink.chunks[1]!.startAt).toBeCloseTo(0.18, 9);
    for (let i = 0; i < 3; i++) {
      sink.advance(0.6); // pauses between sentences
      queue.enqueue(frame());
    }
    expect(queue.underruns).toBe(1);
    sink.advance(0.11);
    queue.enqueue(frame());
    sink.advance(0.15);
    queue.enqueue(frame());
    expect(queue.underruns).toBe(3);
    expect(queue.leadSeconds).toBeCloseTo(0.1, 9); // grown twice, then held at its limit
    // A barge-in empties the queue on purpose: what follows is not starvation.
    queue.clear();
    queue.enqueue(frame());
    expect(queue.underruns).toBe(3);
  });

  it("plays nothing once closed", () => {
    const sink = new RecordingSink();
    const queue = new PlaybackQueue(sink);
    queue.enqueue(frame());
    queue.close();
    queue.enqueue(frame());
    queue.enqueue(new Int16Array(0));
    expect(sink.chunks).toHaveLength(1);
    expect(sink.chunks[0]!.stoppedAt).toBe(0);
    expect(sink.audibleAfter(0)).toBe(0);
  });

  it("converts PCM16 to the float range Web Audio plays", () => {
    expect([...pcm16ToFloat32(new Int16Array([0, 16384, -32768, 32767]))]).toEqual([
      0,
      0.5,
      -1,
      32767 / 32768,
    ]);
  });
});
