import { afterEach, describe, expect, it, vi } from "vitest";
import { CAPTURE_PROCESSOR, CaptureFramer, toPcm16 } from "../src/voice/capture-worklet.js";

const TARGET = 16000;
const FRAME = 320; // 20 ms at 16 kHz

function sine(frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
  return out;
}

function concat(frames: Int16Array[]): Int16Array {
  const out = new Int16Array(frames.length * FRAME);
  frames.forEach((frame, i) => {
    out.set(frame, i * FRAME);
  });
  return out;
}

/** Pushes `input` in 128-sample render quanta, as the audio thread delivers it. */
function pushInQuanta(framer: CaptureFramer, input: Float32Array): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let i = 0; i < input.length; i += 128) frames.push(...framer.push(input.subarray(i, i + 128)));
  return frames;
}

function rms(samples: ArrayLike<number>, from = 0): number {
  let sum = 0;
  for (let i = from; i < samples.length; i++) sum += samples[i]! ** 2;
  return Math.sqrt(sum / (samples.length - from));
}

/** Largest difference from the ideal 16 kHz sine, after the filter's warm-up, as a fraction of full scale. */
function maxError(output: Int16Array, frequency: number, amplitude: number): number {
  let worst = 0;
  for (let k = 20; k < output.length; k++) {
    const ideal = amplitude * Math.sin((2 * Math.PI * frequency * k) / TARGET);
    worst = Math.max(worst, Math.abs(output[k]! / 32768 - ideal));
  }
  return worst;
}

describe("CaptureFramer (the microphone worklet's downsampler)", () => {
  it("turns 48 kHz into 20 ms frames of the same tone at 16 kHz", () => {
    const frames = pushInQuanta(new CaptureFramer(48000), sine(440, 48000, 1));
    // One second makes 50 frames, less the filter's half-length (0.5 ms) still in flight.
    expect(frames).toHaveLength(49);
    for (const frame of frames) expect(frame.length).toBe(FRAME);
    const output = concat(frames);
    // Group delay is compensated, so sample k is the tone at k / 16000 s.
    expect(maxError(output, 440, 0.5)).toBeLessThan(0.01);
    expect(rms(output, 20) / 32768).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it("handles 44.1 kHz, a rate that is no whole multiple of 16 kHz", () => {
    const frames = pushInQuanta(new CaptureFramer(44100), sine(1000, 44100, 2));
    // 2 s → 32,000 samples at 16 kHz, less the filter's half-length still in flight.
    expect(frames.length).toBe(99);
    expect(maxError(concat(frames), 1000, 0.5)).toBeLessThan(0.01);
  });

  it("removes tones above 8 kHz instead of folding them into the speech band", () => {
    const passed = concat(pushInQuanta(new CaptureFramer(48000), sine(3000, 48000, 1)));
    const aliased = concat(pushInQuanta(new CaptureFramer(48000), sine(12000, 48000, 1)));
    expect(rms(passed, 20) / 32768).toBeGreaterThan(0.34);
    // 12 kHz would otherwise land on 4 kHz at full strength.
    expect(rms(aliased, 20) / 32768).toBeLessThan(0.001);
  });

  it("gives the same frames however the input is split", () => {
    const input = sine(700, 48000, 0.5);
    const whole = concat(new CaptureFramer(48000).push(input));
    const odd = new CaptureFramer(48000);
    const pieces: Int16Array[] = [];
    for (let i = 0, size = 1; i < input.length; i += size, size = (size * 7) % 301 || 1)
      pieces.push(...odd.push(input.subarray(i, i + size)));
    expect(concat(pieces)).toEqual(whole);
  });

  it("passes 16 kHz input through and clamps loud input instead of wrapping", () => {
    const input = new Float32Array(FRAME).map((_, i) => (i % 2 ? 1.7 : -3));
    const [frame] = new CaptureFramer(16000).push(input);
    expect(frame?.slice(0, 4)).toEqual(new Int16Array([-32768, 32767, -32768, 32767]));
    expect([toPcm16(0), toPcm16(0.5), toPcm16(-0.5), toPcm16(Number.NaN)]).toEqual([0, 16384, -16384, 0]);
  });

  it("refuses rates that cannot be framed", () => {
    expect(() => new CaptureFramer(0)).toThrow(RangeError);
    expect(() => new CaptureFramer(48000, 16000, 0)).toThrow(RangeError);
  });
});

describe("the capture worklet module in an AudioWorklet scope", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("registers a processor that posts 20 ms PCM16 frames and stops when told", async () => {
    const registered = new Map<string, new (options: unknown) => WorkletProcessor>();
    const posted: ArrayBuffer[] = [];
    interface WorkletProcessor {
      port: { onmessage: ((event: { data: unknown }) => void) | null };
      process(inputs: Float32Array[][]): boolean;
    }
    // The globals an AudioWorkletGlobalScope gives a module: the base class with its
    // message port, registerProcessor, and the context's sampleRate.
    vi.stubGlobal(
      "AudioWorkletProcessor",
      class {
        port = {
          onmessage: null,
          postMessage: (message: unknown, transfer: ArrayBuffer[]) => {
            expect(transfer).toEqual([message]);
            posted.push(message as ArrayBuffer);
          },
        };
      },
    );
    vi.stubGlobal(
      "registerProcessor",
      (name: string, processor: new (options: unknown) => WorkletProcessor) =>
        registered.set(name, processor),
    );
    vi.stubGlobal("sampleRate", 48000);
    vi.resetModules(); // evaluate the module afresh, now inside the "worklet scope"
    await import("../src/voice/capture-worklet.js");

    const Processor = registered.get(CAPTURE_PROCESSOR)!;
    expect(Processor).toBeDefined();
    const processor = new Processor({ processorOptions: { outputRate: 16000, frameSamples: 320 } });
    const stereo = sine(440, 48000, 0.2);
    let alive = true;
    expect(processor.process([[]])).toBe(true); // no input yet: keep running
    for (let i = 0; i < stereo.length; i += 128) {
      const quantum = stereo.subarray(i, i + 128);
      alive = processor.process([[quantum, quantum]]);
    }
    expect(alive).toBe(true);
    expect(posted.length).toBe(9); // 0.2 s = ten frames, the last still filling
    expect(posted.every((buffer) => buffer.byteLength === 640)).toBe(true);
    expect(maxError(new Int16Array(posted.flatMap((b) => [...new Int16Array(b)])), 440, 0.5)).toBeLessThan(
      0.01,
    );

    processor.port.onmessage?.({ data: { type: "stop" } });
    expect(processor.process([[stereo.subarray(0, 128)]])).toBe(false);
  });
});
