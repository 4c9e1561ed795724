import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SpeechEngineUnavailableError } from "@oratio/core/speech";
import { afterAll, describe, expect, it } from "vitest";
import { createKokoroTextToSpeech, createPiperTextToSpeech, sherpaModelDir } from "../src/index.ts";

// No Piper or Kokoro model is available to the tests (they are 60–300 MB downloads); these
// tests cover how the engines find their files and what they say when they are missing.
const store = mkdtempSync(path.join(tmpdir(), "oratio-tts-store-"));
afterAll(() => rmSync(store, { recursive: true, force: true }));

describe("Piper and Kokoro text-to-speech (sherpa-onnx)", () => {
  it("names the Piper voice to download and where to put it", async () => {
    const error = await createPiperTextToSpeech({ modelsDir: store }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpeechEngineUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain("vits-piper-en_US-amy-low.tar.bz2");
    expect(message).toContain(path.join(store, "tts", "piper", "en_US-amy-low"));
    expect(message).toMatch(/voice\.tts\.model/);
    expect(error).toMatchObject({ status: 503, engine: "piper" });
  });

  it("names the Kokoro model and the files it lacks", async () => {
    const dir = path.join(store, "tts", "kokoro", "kokoro-en-v0_19");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "model.onnx"), "partial download");
    const error = await createKokoroTextToSpeech({ modelsDir: store }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpeechEngineUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain("kokoro-en-v0_19.tar.bz2");
    expect(message).toContain("voices.bin, tokens.txt, espeak-ng-data");
    expect(message).not.toMatch(/lacks model\.onnx/);
  });

  it("reports a voice folder that sherpa-onnx cannot load instead of crashing", async () => {
    const dir = path.join(store, "tts", "piper", "en_GB-broken-low");
    mkdirSync(path.join(dir, "espeak-ng-data"), { recursive: true });
    writeFileSync(path.join(dir, "en_GB-broken-low.onnx"), "not a model");
    writeFileSync(path.join(dir, "tokens.txt"), "a 1\n");
    const error = await createPiperTextToSpeech({ model: "en_GB-broken-low", modelsDir: store }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpeechEngineUnavailableError);
    expect((error as Error).message).toMatch(/could not be loaded/);
    expect((error as Error).message).toContain("vits-piper-en_GB-broken-low.tar.bz2");
  });

  it("resolves model folders inside the store", () => {
    expect(sherpaModelDir("piper", undefined, "/m")).toBe("/m/tts/piper/en_US-amy-low");
    expect(sherpaModelDir("kokoro", "kokoro-multi-lang-v1_0", "/m")).toBe(
      "/m/tts/kokoro/kokoro-multi-lang-v1_0",
    );
    expect(sherpaModelDir("piper", "/opt/voices/amy", "/m")).toBe("/opt/voices/amy");
  });
});
