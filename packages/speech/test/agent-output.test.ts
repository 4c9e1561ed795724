import { describe, expect, it } from "vitest";
import { concatPcm16 } from "../src/index.ts";
import { AgentOutput } from "../src/session/agent-output.ts";

const RATE = 8000;
const FRAME_MS = 20;
const FRAME = 160;

/** Samples 1, 2, 3, … from `start`, so any misplaced or stale sample shows. */
function ramp(start: number, length: number): Int16Array {
  return Int16Array.from({ length }, (_, i) => (start + i) % 30000);
}

function output(leadMs = 10_000) {
  const handedOut: { frame: Int16Array; playoutMs: number }[] = [];
  const segments: string[] = [];
  const agent = new AgentOutput({
    sampleRate: RATE,
    frameMs: FRAME_MS,
    leadMs,
    playout: "clock",
    onFrame: (frame, playoutMs) => handedOut.push({ frame, playoutMs }),
    onSegmentStart: (text) => segments.push(text),
  });
  return { agent, handedOut, segments };
}

describe("agent output", () => {
  it("hands out the audio it was given as whole frames, padding each segment's last frame", () => {
    const { agent, handedOut, segments } = output();
    agent.beginSegment("Hello there.");
    // Chunks that do not line up with frames, as TTS engines send them.
    agent.appendAudio(ramp(1, 100));
    agent.appendAudio(ramp(101, 250));
    agent.endSegment(); // 350 samples: two frames and 30 samples, padded to three frames
    agent.beginSegment("How can I help?");
    agent.appendAudio(ramp(1000, FRAME));
    agent.endSegment();
    agent.markComplete();
    expect(agent.pump(0)).toBe(4);

    const frames = handedOut.map((entry) => entry.frame);
    expect(frames.every((frame) => frame.length === FRAME)).toBe(true);
    const audio = concatPcm16(frames);
    expect(Array.from(audio.subarray(0, 350))).toEqual(Array.from(ramp(1, 350)));
    expect(Array.from(audio.subarray(350, 3 * FRAME))).toEqual(new Array(3 * FRAME - 350).fill(0));
    expect(Array.from(audio.subarray(3 * FRAME))).toEqual(Array.from(ramp(1000, FRAME)));
    expect(handedOut.map((entry) => entry.playoutMs)).toEqual([0, 20, 40, 60]);
    expect(segments).toEqual(["Hello there.", "Hello there. How can I help?"]);

    agent.advance(80);
    expect(agent.finished).toBe(true);
    expect(agent.heardText()).toBe("Hello there. How can I help?");
  });

  it("hands out copies: a transport that changes a frame does not change what a resume replays", () => {
    const { agent, handedOut } = output();
    agent.beginSegment("One two three four.");
    agent.appendAudio(ramp(1, 4 * FRAME));
    agent.endSegment();
    agent.markComplete();
    agent.pump(0);
    for (const { frame } of handedOut) frame.fill(-1);
    // The caller heard the first frame when the barge-in came; the other three are replayed.
    agent.advance(20);
    agent.pause(20);
    agent.resume();
    handedOut.length = 0;
    expect(agent.pump(20)).toBe(3);
    expect(Array.from(concatPcm16(handedOut.map((entry) => entry.frame)))).toEqual(
      Array.from(ramp(1 + FRAME, 3 * FRAME)),
    );
  });

  it("keeps nothing of the previous utterance after a reset, and grows for long utterances", () => {
    const { agent, handedOut } = output(60_000);
    // Longer than the initial store (2 s), so the store has to grow mid-utterance.
    const long = 12 * RATE;
    agent.beginSegment("A long answer.");
    for (let i = 0; i < long; i += 1000) agent.appendAudio(ramp(i + 1, Math.min(1000, long - i)));
    agent.endSegment();
    agent.markComplete();
    agent.pump(0);
    expect(Array.from(concatPcm16(handedOut.map((entry) => entry.frame)))).toEqual(Array.from(ramp(1, long)));

    agent.reset();
    handedOut.length = 0;
    expect(agent.hasAudio).toBe(false);
    agent.beginSegment("Short.");
    agent.appendAudio(ramp(20000, 50));
    agent.endSegment();
    agent.markComplete();
    expect(agent.pump(0)).toBe(1);
    const frame = handedOut[0]!.frame;
    expect(Array.from(frame.subarray(0, 50))).toEqual(Array.from(ramp(20000, 50)));
    expect(frame.subarray(50).every((sample) => sample === 0)).toBe(true);
  });

  it("hands out no more than the lead ahead of the clock", () => {
    const { agent, handedOut } = output(40);
    agent.beginSegment("Paced.");
    agent.appendAudio(ramp(1, 10 * FRAME));
    agent.endSegment();
    expect(agent.pump(0)).toBe(2);
    expect(agent.pump(0)).toBe(0);
    agent.advance(20);
    expect(agent.pump(20)).toBe(1);
    expect(handedOut.map((entry) => entry.playoutMs)).toEqual([0, 20, 40]);
  });

  it("refuses a frame length that is not a whole number of samples", () => {
    expect(
      () =>
        new AgentOutput({ sampleRate: 11025, frameMs: 20, leadMs: 60, playout: "clock", onFrame: () => {} }),
    ).toThrow(/not a whole number of samples/);
  });
});
