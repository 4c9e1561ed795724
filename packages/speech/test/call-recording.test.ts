import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { deinterleaveStereo, readWav } from "../src/index.ts";
import { CallRecording, type CallRecordingOptions } from "../src/session/call-recording.ts";

const RATE = 16000;
const FRAME = 320;

/** A frame whose samples say where they belong, so misplaced audio shows. */
function frame(seed: number, length = FRAME): Int16Array {
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) out[i] = ((seed * 31 + i * 7) % 20000) - 10000;
  return out;
}

/** The same call, written the same way, into a recording with the given options. */
function recordCall(options: CallRecordingOptions): CallRecording {
  const recording = new CallRecording(RATE, RATE, options);
  // 30 s of caller audio; the agent talks in three stretches with silence between.
  for (let i = 0; i < 1500; i++) {
    recording.addCaller(frame(i));
    const atMs = i * 20;
    if ((i >= 100 && i < 400) || (i >= 700 && i < 900) || i >= 1300)
      recording.addAgent(frame(i + 5000), atMs + 80);
    // A barge-in 17 s in: what was scheduled after 16.5 s is cut.
    if (i === 850) recording.cutAgent(16_500);
  }
  // A late agent frame for a moment long gone to disk, and one past everything so far.
  recording.addAgent(frame(9001), 2_000);
  recording.addAgent(frame(9002), 31_000);
  return recording;
}

const scratch: string[] = [];
afterEach(() => {
  for (const directory of scratch.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe("call recording", () => {
  it("keeps only recent audio in memory and reads back exactly what it was given", () => {
    const directory = mkdtempSync(path.join(tmpdir(), "recording-test-"));
    scratch.push(directory);
    const spilled = recordCall({ spillDirectory: directory, keepInMemoryMs: 1000 });
    const inMemory = recordCall({ spillDirectory: false });

    // 31 s of two sides is ~60 chunks; with 1 s kept in memory only the last few remain.
    expect(inMemory.chunksInMemory).toBeGreaterThan(40);
    expect(spilled.chunksInMemory).toBeLessThanOrEqual(6);
    expect(spilled.durationMs).toBe(inMemory.durationMs);

    const a = deinterleaveStereo(readWav(spilled.toWav()).samples);
    const b = deinterleaveStereo(readWav(inMemory.toWav()).samples);
    expect(a.left.length).toBe(b.left.length);
    expect(Buffer.from(a.left.buffer).equals(Buffer.from(b.left.buffer))).toBe(true);
    expect(Buffer.from(a.right.buffer).equals(Buffer.from(b.right.buffer))).toBe(true);
    // The late frame landed at 2 s on disk; the cut left silence from 16.5 s until the agent's
    // next frame (17.1 s), and its second stretch ends at 18.08 s, before the third at 26.08 s.
    expect(Array.from(a.right.subarray(32_000, 32_000 + FRAME))).toEqual(Array.from(frame(9001)));
    const silent = (fromS: number, toS: number) =>
      a.right.subarray(Math.round(fromS * RATE), Math.round(toS * RATE)).every((s) => s === 0);
    expect(silent(16.5, 17.1)).toBe(true);
    expect(silent(18.1, 26.05)).toBe(true);
    expect(silent(17.1, 18.05)).toBe(false);

    spilled.dispose();
    inMemory.dispose();
  });

  it("leaves no scratch file behind", () => {
    const directory = mkdtempSync(path.join(tmpdir(), "recording-test-"));
    scratch.push(directory);
    const recording = recordCall({ spillDirectory: path.join(directory, "nested"), keepInMemoryMs: 500 });
    // Unlinked as soon as it was opened: nothing to find even while the call is on.
    expect(readdirSync(path.join(directory, "nested"))).toEqual([]);
    expect(readWav(recording.toWav()).samples.length).toBeGreaterThan(0);
    recording.dispose();
    expect(readdirSync(path.join(directory, "nested"))).toEqual([]);
  });
});
