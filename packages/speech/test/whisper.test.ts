import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SpeechEngineUnavailableError, type TranscriptEvent } from "@oratio/core/speech";
import { afterAll, describe, expect, it } from "vitest";
import { createWhisperSpeechToText, whisperModelPath } from "../src/index.ts";
import { loadWav, modelFile, testModelsDir } from "./helpers.ts";

// A whisper.cpp test model: real tiny.en shapes and vocabulary, no trained weights. It
// loads and runs the whole inference path but transcribes everything to empty text.
const testModel = modelFile("whisper/for-tests-ggml-tiny.en.bin");
const jfkFile = modelFile("whisper/jfk.wav");
const scratch = mkdtempSync(path.join(tmpdir(), "oratio-whisper-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function collect(events: AsyncIterable<TranscriptEvent>): Promise<TranscriptEvent[]> {
  const out: TranscriptEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe("Whisper speech-to-text (whisper.cpp)", () => {
  it.skipIf(!testModel || !jfkFile)(
    "loads a ggml model from the store and transcribes jfk.wav streamed in 20 ms frames",
    async () => {
      const stt = await createWhisperSpeechToText({
        model: "for-tests-ggml-tiny.en.bin",
        modelsDir: testModelsDir,
      });
      try {
        expect(stt.modelPath).toBe(testModel);
        expect(stt.capabilities).toEqual({ streaming: false, interimResults: false });
        const { samples, sampleRate } = loadWav(jfkFile!);
        expect(sampleRate).toBe(stt.sampleRate);
        const stream = await stt.stream({ language: "en-US" });
        const collecting = collect(stream);
        for (let i = 0; i < samples.length; i += 320) stream.push(samples.subarray(i, i + 320));
        stream.end();
        const events = await collecting;
        // One final for the utterance, spanning the whole clip; the weightless test model's
        // text is empty (a trained model gives the words).
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ type: "final", startMs: 0 });
        const final = events[0] as Extract<TranscriptEvent, { type: "final" }>;
        expect(final.endMs).toBe(Math.round((samples.length * 1000) / sampleRate));
        expect(typeof final.text).toBe("string");
      } finally {
        await stt.close();
      }
    },
    300_000,
  );

  it("names the missing model file and how to get it", async () => {
    const error = await createWhisperSpeechToText({ model: "ggml-base.en.bin", modelsDir: scratch }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpeechEngineUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(path.join(scratch, "whisper", "ggml-base.en.bin"));
    expect(message).toMatch(/oratio models pull/);
    expect(message).toMatch(/voice\.stt\.model/);
  });

  it("refuses a file that is not a whisper.cpp model with a clear error", async () => {
    const bogus = path.join(scratch, "whisper", "ggml-broken.bin");
    rmSync(path.dirname(bogus), { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(path.dirname(bogus), { recursive: true }));
    writeFileSync(bogus, Buffer.from("this is not a ggml model"));
    const error = await createWhisperSpeechToText({ model: "ggml-broken.bin", modelsDir: scratch }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpeechEngineUnavailableError);
    expect((error as Error).message).toMatch(/could not be loaded/);
  });

  it("resolves model names inside the store", () => {
    expect(whisperModelPath("ggml-small.bin", "/m")).toBe("/m/whisper/ggml-small.bin");
    expect(whisperModelPath("stt/ggml-small.bin", "/m")).toBe("/m/stt/ggml-small.bin");
    expect(whisperModelPath("/abs/model.bin", "/m")).toBe("/abs/model.bin");
    expect(whisperModelPath(undefined, "/m")).toBe("/m/whisper/ggml-base.en.bin");
  });
});
