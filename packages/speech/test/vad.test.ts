import type { VoiceActivityDetector } from "@oratio/core/speech";
import { afterAll, describe, expect, it } from "vitest";
import {
  createFliteTextToSpeech,
  createSileroVad,
  createWebRtcVad,
  type EndpointEvent,
  Endpointer,
  rms,
  SILERO_DEFAULT_MIN_RMS,
  sharedSileroRunner,
} from "../src/index.ts";
import { loadWav, modelFile, testModelsDir } from "./helpers.ts";

const jfkFile = modelFile("whisper/jfk.wav");
const sileroFile = modelFile("vad/silero_vad.onnx");

/** Speech decisions (probability ≥ 0.5) per 20 ms frame, awaiting batched answers. */
async function decisions(vad: VoiceActivityDetector, samples: Int16Array): Promise<number[]> {
  return (await probabilities(vad, samples)).map((p) => (p >= 0.5 ? 1 : 0));
}

async function probabilities(vad: VoiceActivityDetector, samples: Int16Array): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i + 320 <= samples.length; i += 320)
    out.push(await vad.process(samples.subarray(i, i + 320)));
  return out;
}

function share(values: number[], fromMs: number, toMs: number): number {
  const slice = values.slice(fromMs / 20, toMs / 20);
  return slice.reduce((a, b) => a + b, 0) / slice.length;
}

describe.skipIf(!jfkFile || !sileroFile).each(["onnxruntime", "sherpa-onnx"] as const)(
  "Silero VAD (%s)",
  (runtime) => {
    it("finds speech where jfk.wav has speech and none in its leading silence", async () => {
      const vad = await createSileroVad({ modelsDir: testModelsDir, runtime });
      const { samples, sampleRate } = loadWav(jfkFile!);
      expect(sampleRate).toBe(16000);
      const result = await decisions(vad, samples);
      expect(share(result, 0, 300)).toBe(0);
      // "And so my fellow Americans" runs from about 0.5 s to 2.3 s.
      expect(share(result, 600, 2200)).toBeGreaterThan(0.9);
      // "what your country can do for you" ≈ 5.3–7.7 s.
      expect(share(result, 5500, 7500)).toBeGreaterThan(0.9);
      // The pause after "ask not" (≈ 4.4–5.2 s) is mostly silence.
      expect(share(result, 4500, 5200)).toBeLessThan(0.5);
      vad.reset();
      expect(await vad.process(new Int16Array(512))).toBeLessThan(0.5);
      vad.close();
    });

    it("names the pull command when the model is missing", async () => {
      await expect(createSileroVad({ modelsDir: "/nonexistent-models", runtime })).rejects.toThrow(
        /oratio models pull silero-vad/,
      );
    });
  },
);

describe.skipIf(!jfkFile || !sileroFile)("Silero VAD on the shared batched model", () => {
  it("scores many calls' windows in one run, each call with its own state", async () => {
    const { samples } = loadWav(jfkFile!);
    const clip = samples.subarray(0, 16000 * 3);
    const solo = await createSileroVad({ modelsDir: testModelsDir, runtime: "onnxruntime" });
    const expected = await probabilities(solo, clip);
    solo.close();

    const runner = await sharedSileroRunner(sileroFile!, 16000);
    const before = runner.stats();
    // Eight callers in step: four speak the clip, four are silent.
    const calls = await Promise.all(
      Array.from({ length: 8 }, () => createSileroVad({ modelsDir: testModelsDir, runtime: "onnxruntime" })),
    );
    const silence = new Int16Array(320);
    const seen: number[][] = calls.map(() => []);
    for (let i = 0; i + 320 <= clip.length; i += 320) {
      const answers = await Promise.all(
        calls.map((vad, c) => vad.process(c < 4 ? clip.subarray(i, i + 320) : silence)),
      );
      for (const [c, p] of answers.entries()) seen[c]!.push(p);
    }
    const after = runner.stats();
    for (let c = 0; c < 4; c++) {
      expect(seen[c]!.length).toBe(expected.length);
      for (const [i, p] of seen[c]!.entries()) expect(p).toBeCloseTo(expected[i]!, 4);
    }
    for (let c = 4; c < 8; c++) expect(Math.max(...seen[c]!)).toBe(0);
    // The talking calls' windows went through runs of four; the silent calls' windows are
    // below the volume floor and never reached the model.
    let loudWindows = 0;
    for (let w = 0; w + 512 <= clip.length; w += 512) {
      let energy = 0;
      for (let i = w; i < w + 512; i++) energy += (clip[i]! / 32768) ** 2;
      if (Math.sqrt(energy / 512) >= SILERO_DEFAULT_MIN_RMS) loudWindows++;
    }
    expect(loudWindows).toBeGreaterThan(50);
    expect(after.windows - before.windows).toBe(loudWindows * 4);
    expect(after.runs - before.runs).toBe(loudWindows);
    expect(after.largestBatch).toBeGreaterThanOrEqual(4);
    for (const vad of calls) vad.close();
  });

  it("with no volume floor, sends every window to the model, silence included", async () => {
    const runner = await sharedSileroRunner(sileroFile!, 16000);
    const vad = await createSileroVad({ modelsDir: testModelsDir, runtime: "onnxruntime", minRms: 0 });
    const before = runner.stats();
    const silence = new Int16Array(16000);
    const result = await probabilities(vad, silence);
    expect(runner.stats().windows - before.windows).toBe(Math.floor(16000 / 512));
    expect(Math.max(...result)).toBeLessThan(0.5);
    vad.close();
  });

  it("drops a window's result that arrives after reset()", async () => {
    const { samples } = loadWav(jfkFile!);
    const vad = await createSileroVad({ modelsDir: testModelsDir, runtime: "onnxruntime" });
    for (let i = 0; i < 40; i++) await vad.process(samples.subarray(16000 + i * 320, 16000 + (i + 1) * 320));
    // Complete a window of speech, then reset before its result is in.
    const inFlight = vad.process(samples.subarray(30000, 30512));
    expect(inFlight).toBeInstanceOf(Promise);
    vad.reset();
    expect(await inFlight).toBeGreaterThan(0.5);
    // The next window starts from a clean state: silence scores as silence, at once.
    expect(vad.process(new Int16Array(320))).toBe(0);
    expect(await vad.process(new Int16Array(320))).toBeLessThan(0.1);
    vad.close();
  });
});

describe("WebRTC VAD with endpointing on synthetic speech and silence", () => {
  const tts = createFliteTextToSpeech();
  afterAll(() => tts.close());

  it("finds two turns in speech, one second of silence, speech, silence", async () => {
    const parts: Int16Array[] = [];
    for await (const chunk of tts.synthesize("Hello, I would like to book an appointment."))
      parts.push(chunk.samples);
    const speech = Int16Array.from(parts.flatMap((p) => [...p]));
    const silence = new Int16Array(16000);
    const audio = Int16Array.from([
      ...silence.subarray(0, 8000),
      ...speech,
      ...silence,
      ...speech,
      ...silence,
    ]);
    const vad = await createWebRtcVad({ sampleRate: 16000, aggressiveness: 3 });
    const endpointer = new Endpointer({ minSpeechMs: 100, endSilenceMs: 500 });
    const events: EndpointEvent[] = [];
    for (let i = 0; i + 320 <= audio.length; i += 320) {
      const event = endpointer.update(await vad.process(audio.subarray(i, i + 320)), 20);
      if (event) events.push(event);
    }
    vad.close();
    expect(events.map((e) => e.type)).toEqual(["speech-start", "speech-end", "speech-start", "speech-end"]);
    // Where the voice really starts and stops (flite pads its output with quiet).
    const loud = (i: number) => rms(speech.subarray(i, i + 320)) > 300;
    let onset = 0;
    while (!loud(onset)) onset += 320;
    let offset = speech.length - 320;
    while (!loud(offset)) offset -= 320;
    const toMs = (samples: number) => (samples / 16000) * 1000;
    const secondStart = 500 + toMs(speech.length) + 1000;
    expect(Math.abs(events[0]!.atMs - (500 + toMs(onset)))).toBeLessThan(150);
    expect(Math.abs(events[1]!.atMs - (500 + toMs(offset + 320)))).toBeLessThan(300);
    expect(Math.abs(events[2]!.atMs - (secondStart + toMs(onset)))).toBeLessThan(150);
  });

  it("rejects sample rates libfvad cannot analyse", async () => {
    await expect(createWebRtcVad({ sampleRate: 22050 })).rejects.toThrow(/8000, 16000, 32000 or 48000/);
  });
});
