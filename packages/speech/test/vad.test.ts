import type { VoiceActivityDetector } from "@oratio/core/speech";
import { afterAll, describe, expect, it } from "vitest";
import {
  createFliteTextToSpeech,
  createSileroVad,
  createWebRtcVad,
  type EndpointEvent,
  Endpointer,
  rms,
} from "../src/index.ts";
import { loadWav, modelFile, testModelsDir } from "./helpers.ts";

const jfkFile = modelFile("whisper/jfk.wav");
const sileroFile = modelFile("vad/silero_vad.onnx");

/** Speech decisions per 32 ms (512 samples at 16 kHz), fed as 20 ms frames. */
function decisions(vad: VoiceActivityDetector, samples: Int16Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 320 <= samples.length; i += 320) out.push(vad.process(samples.subarray(i, i + 320)));
  return out;
}

function share(values: number[], fromMs: number, toMs: number): number {
  const slice = values.slice(fromMs / 20, toMs / 20);
  return slice.reduce((a, b) => a + b, 0) / slice.length;
}

describe.skipIf(!jfkFile || !sileroFile)("Silero VAD (sherpa-onnx)", () => {
  it("finds speech where jfk.wav has speech and none in its leading silence", async () => {
    const vad = await createSileroVad({ modelsDir: testModelsDir });
    const { samples, sampleRate } = loadWav(jfkFile!);
    expect(sampleRate).toBe(16000);
    const result = decisions(vad, samples);
    expect(share(result, 0, 300)).toBe(0);
    // "And so my fellow Americans" runs from about 0.5 s to 2.3 s.
    expect(share(result, 600, 2200)).toBeGreaterThan(0.9);
    // "what your country can do for you" ≈ 5.3–7.7 s.
    expect(share(result, 5500, 7500)).toBeGreaterThan(0.9);
    // The pause after "ask not" (≈ 4.4–5.2 s) is mostly silence.
    expect(share(result, 4500, 5200)).toBeLessThan(0.5);
    vad.reset();
    expect(vad.process(new Int16Array(512))).toBe(0);
    vad.close();
  });

  it("names the pull command when the model is missing", async () => {
    await expect(createSileroVad({ modelsDir: "/nonexistent-models" })).rejects.toThrow(
      /oratio models pull silero-vad/,
    );
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
      const event = endpointer.update(vad.process(audio.subarray(i, i + 320)), 20);
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
