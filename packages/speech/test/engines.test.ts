import { existsSync } from "node:fs";
import type { TranscriptEvent } from "@oratio/core/speech";
import { afterAll, describe, expect, it } from "vitest";
import {
  createFliteTextToSpeech,
  createPocketsphinxSpeechToText,
  POCKETSPHINX_INSTALL,
  resample,
} from "../src/index.ts";
import { loadWav, modelFile, wordOverlap } from "./helpers.ts";

const jfkFile = modelFile("whisper/jfk.wav");
const hasPocketsphinx = existsSync("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin");
if (!hasPocketsphinx) console.warn(`Skipping pocketsphinx tests: not installed (${POCKETSPHINX_INSTALL}).`);

const JFK_TEXT =
  "And so my fellow Americans ask not what your country can do for you ask what you can do for your country";

async function collect(events: AsyncIterable<TranscriptEvent>): Promise<TranscriptEvent[]> {
  const out: TranscriptEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe("flite text-to-speech", () => {
  const tts = createFliteTextToSpeech();
  afterAll(() => tts.close());

  it("yields 16 kHz audio one sentence at a time", async () => {
    const chunks = [];
    for await (const chunk of tts.synthesize("Good morning. How can I help you today?")) chunks.push(chunk);
    expect(chunks).toHaveLength(2);
    for (const chunk of chunks) {
      expect(chunk.sampleRate).toBe(16000);
      // Each sentence is somewhere between half a second and four seconds long.
      expect(chunk.samples.length).toBeGreaterThan(8000);
      expect(chunk.samples.length).toBeLessThan(64000);
      expect(chunk.samples.some((s) => Math.abs(s) > 3000)).toBe(true);
    }
  });

  it("stops when the signal is aborted", async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = async () => {
      for await (const chunk of tts.synthesize("One. Two. Three. Four.", { signal: controller.signal })) {
        seen.push(chunk.samples.length);
        controller.abort();
      }
    };
    await expect(run()).rejects.toThrow();
    expect(seen).toHaveLength(1);
  });

  it("names the available voices when given an unknown one", async () => {
    const run = async () => {
      for await (const _ of tts.synthesize("Hi.", { voice: "nobody" })) {
        // unreachable
      }
    };
    await expect(run()).rejects.toThrow(/slt, kal16/);
  });
});

describe.skipIf(!hasPocketsphinx)("pocketsphinx speech-to-text", () => {
  const tts = createFliteTextToSpeech();
  afterAll(() => tts.close());

  it.skipIf(!jfkFile)(
    "transcribes jfk.wav streamed in 20 ms frames, utterance by utterance",
    async () => {
      const stt = await createPocketsphinxSpeechToText();
      expect(stt.capabilities).toEqual({ streaming: true, interimResults: false });
      const { samples } = loadWav(jfkFile!);
      const stream = await stt.stream();
      const collecting = collect(stream);
      for (let i = 0; i < samples.length; i += 320) stream.push(samples.subarray(i, i + 320));
      stream.end();
      const events = await collecting;
      expect(events.length).toBeGreaterThan(1);
      const text = events.map((e) => e.text).join(" ");
      // PocketSphinx's small English model gets about half of this recording (measured 0.5).
      expect(wordOverlap(JFK_TEXT, text)).toBeGreaterThanOrEqual(0.4);
      expect(text).toMatch(/country/);
      const finals = events.filter((e) => e.type === "final");
      // Word timings are on the stream's timeline and increase.
      expect(finals[0]!.startMs).toBeLessThan(finals.at(-1)!.startMs!);
      expect(finals.at(-1)!.endMs).toBeLessThanOrEqual(11_100);
      // 11 s of speech; PocketSphinx needs up to twice real time on a loaded machine.
    },
    120_000,
  );

  it("transcribes flite speech back to mostly the same words", async () => {
    const sentence = "Please call the office tomorrow morning about your appointment.";
    const stt = await createPocketsphinxSpeechToText();
    const stream = await stt.stream();
    const collecting = collect(stream);
    for await (const chunk of tts.synthesize(sentence, { voice: "kal16" })) {
      stream.push(resample(chunk.samples, chunk.sampleRate, stt.sampleRate));
    }
    stream.end();
    const text = (await collecting).map((e) => e.text).join(" ");
    expect(wordOverlap(sentence, text)).toBeGreaterThanOrEqual(0.6);
  });

  it("finalises an utterance on flush without ending the stream", async () => {
    const stt = await createPocketsphinxSpeechToText();
    const stream = await stt.stream();
    const iterator = stream[Symbol.asyncIterator]();
    for await (const chunk of tts.synthesize("What time do you open on Saturday?", { voice: "kal16" })) {
      stream.push(chunk.samples);
    }
    stream.flush();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(wordOverlap("what time do you open on saturday", first.value!.text)).toBeGreaterThanOrEqual(0.5);
    stream.close();
    expect((await iterator.next()).done).toBe(true);
  });

  it("ends the stream when the signal is aborted", async () => {
    const stt = await createPocketsphinxSpeechToText();
    const controller = new AbortController();
    const stream = await stt.stream({ signal: controller.signal });
    stream.push(new Int16Array(16000));
    controller.abort();
    expect(await collect(stream)).toEqual([]);
  });

  it("says which packages to install when the program is missing", async () => {
    await expect(createPocketsphinxSpeechToText({ command: "pocketsphinx-not-here" })).rejects.toThrow(
      /apt-get install pocketsphinx pocketsphinx-en-us/,
    );
  });
});
