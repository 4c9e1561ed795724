import { describe, expect, it } from "vitest";
import {
  AudioFramer,
  alawToPcm16,
  concatPcm16,
  deinterleaveStereo,
  interleaveStereo,
  mulawToPcm16,
  pcm16FromBytes,
  pcm16ToAlaw,
  pcm16ToMulaw,
  Resampler,
  readWav,
  resample,
  writeWav,
} from "../src/index.ts";
import { sine, toneAmplitude } from "./helpers.ts";

describe("G.711 codecs", () => {
  it("encodes silence and extremes to the standard code words", () => {
    expect(pcm16ToMulaw(Int16Array.of(0, 32767, -32768))).toEqual(Uint8Array.of(0xff, 0x80, 0x00));
    expect(pcm16ToAlaw(Int16Array.of(0))[0]).toBe(0xd5);
  });

  it("round-trips PCM16 through μ-law and A-law within the companding error", () => {
    const input = new Int16Array(65536);
    for (let i = 0; i < input.length; i++) input[i] = i - 32768;
    for (const [encode, decode] of [
      [pcm16ToMulaw, mulawToPcm16],
      [pcm16ToAlaw, alawToPcm16],
    ] as const) {
      const output = decode(encode(input));
      for (let i = 0; i < input.length; i += 7) {
        const error = Math.abs(output[i]! - input[i]!);
        // Logarithmic quantisation: error grows with magnitude, about 1/16 of it at most.
        expect(error).toBeLessThanOrEqual(Math.max(16, Math.abs(input[i]!) / 16 + 8));
      }
    }
  });

  it("decodes every code word to a value that encodes back to the same word", () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(pcm16ToAlaw(alawToPcm16(all))).toEqual(all);
    const mulaw = pcm16ToMulaw(mulawToPcm16(all));
    // 0x7F and 0xFF both mean zero in μ-law; the encoder prefers 0xFF.
    for (let i = 0; i < 256; i++) if (i !== 0x7f) expect(mulaw[i]).toBe(i);
  });
});

describe("concatPcm16", () => {
  it("joins parts in order into one new array, views included", () => {
    const backing = Int16Array.of(9, 1, 2, 9);
    const joined = concatPcm16([
      Int16Array.of(-3),
      backing.subarray(1, 3),
      new Int16Array(0),
      Int16Array.of(7, 8),
    ]);
    expect(Array.from(joined)).toEqual([-3, 1, 2, 7, 8]);
    expect(joined.buffer).not.toBe(backing.buffer);
    expect(concatPcm16([])).toHaveLength(0);
  });
});

describe("Resampler", () => {
  const rates = [8000, 16000, 24000, 48000];
  for (const from of rates) {
    for (const to of rates) {
      if (from === to) continue;
      it(`keeps a 440 Hz tone's frequency and amplitude from ${from} to ${to} Hz`, () => {
        const output = resample(sine(440, from, 1), from, to);
        expect(output.length).toBe(to);
        const steady = output.subarray(to / 10, to - to / 10);
        expect(toneAmplitude(steady, to, 440)).toBeGreaterThan(9500);
        expect(toneAmplitude(steady, to, 440)).toBeLessThan(10500);
        expect(toneAmplitude(steady, to, 880)).toBeLessThan(100);
      });
    }
  }

  it("filters out tones above the new Nyquist frequency instead of aliasing them", () => {
    // 6 kHz at 48 kHz would fold to 2 kHz at 8 kHz without the low-pass filter.
    const output = resample(sine(6000, 48000, 1), 48000, 8000);
    expect(toneAmplitude(output.subarray(800, 7200), 8000, 2000)).toBeLessThan(200);
  });

  it("gives the same result streamed in 20 ms frames as in one call", () => {
    const input = sine(1000, 16000, 0.5);
    const whole = new Resampler(16000, 8000).process(input);
    const streaming = new Resampler(16000, 8000);
    const parts: number[] = [];
    for (let i = 0; i < input.length; i += 320) parts.push(...streaming.process(input.subarray(i, i + 320)));
    expect(Int16Array.from(parts)).toEqual(whole);
  });

  it("rejects rates that are not positive integers", () => {
    expect(() => new Resampler(0, 16000)).toThrow(/positive integers/);
  });
});

describe("AudioFramer", () => {
  it("cuts arbitrary chunks into 20 ms frames and pads the tail on flush", () => {
    const framer = new AudioFramer({ sampleRate: 16000 });
    const frames: Int16Array[] = [];
    const input = Int16Array.from({ length: 1000 }, (_, i) => i);
    framer.push(input.subarray(0, 100), (f) => frames.push(f));
    framer.push(input.subarray(100, 777), (f) => frames.push(f));
    framer.push(input.subarray(777), (f) => frames.push(f));
    expect(frames.map((f) => f.length)).toEqual([320, 320, 320]);
    expect(frames[1]![0]).toBe(320);
    expect(framer.bufferedSamples).toBe(40);
    framer.flush((f) => frames.push(f));
    expect(frames[3]![39]).toBe(999);
    expect(frames[3]![40]).toBe(0);
  });

  it("rejects frame lengths that are not whole samples", () => {
    expect(() => new AudioFramer({ sampleRate: 8000, frameMs: 0.1 })).toThrow(/whole number/);
  });
});

describe("WAV", () => {
  it("round-trips stereo PCM16 built from two mono tracks", () => {
    const left = Int16Array.of(1, 2, 3);
    const right = Int16Array.of(-1, -2);
    const stereo = interleaveStereo(left, right);
    expect(stereo).toEqual(Int16Array.of(1, -1, 2, -2, 3, 0));
    const read = readWav(writeWav({ sampleRate: 8000, channels: 2, samples: stereo }));
    expect(read).toEqual({ sampleRate: 8000, channels: 2, samples: stereo });
    expect(deinterleaveStereo(read.samples).right).toEqual(Int16Array.of(-1, -2, 0));
  });

  it("skips LIST chunks (odd-sized, padded) before the data", () => {
    const plain = writeWav({ sampleRate: 16000, channels: 1, samples: Int16Array.of(5, -5) });
    const list = new Uint8Array(8 + 5 + 1);
    list.set(new TextEncoder().encode("LIST"));
    new DataView(list.buffer).setUint32(4, 5, true);
    const withList = new Uint8Array(plain.length + list.length);
    withList.set(plain.subarray(0, 36));
    withList.set(list, 36);
    withList.set(plain.subarray(36), 36 + list.length);
    expect(readWav(withList).samples).toEqual(Int16Array.of(5, -5));
  });

  it("explains what is wrong with a file that is not a WAV", () => {
    expect(() => readWav(new TextEncoder().encode("hello world, not audio"))).toThrow(/RIFF\/WAVE/);
  });

  it("views little-endian bytes as samples, copying only unaligned input", () => {
    const bytes = new Uint8Array([0, 1, 2, 0xff, 0x7f]);
    expect(pcm16FromBytes(bytes.subarray(1))).toEqual(Int16Array.of(0x0201, 0x7fff));
    expect(() => pcm16FromBytes(bytes)).toThrow(/even number/);
  });
});
