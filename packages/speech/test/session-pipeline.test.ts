import { existsSync } from "node:fs";
import type { PcmChunk, TranscriptEvent } from "@oratio/core/speech";
import { afterAll, describe, expect, it } from "vitest";
import {
  createFliteTextToSpeech,
  createPocketsphinxSpeechToText,
  createSileroVad,
  createWebRtcVad,
  deinterleaveStereo,
  POCKETSPHINX_INSTALL,
  readWav,
  VoiceSession,
  type VoiceSessionEvent,
} from "../src/index.ts";
import { pushSilenceUntil, pushSpeech } from "../src/testing/index.ts";
import { loadWav, modelFile, rmsOf, wordOverlap } from "./session-audio.ts";

const hasPocketsphinx = existsSync("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin");
if (!hasPocketsphinx)
  console.warn(`Skipping voice session tests: pocketsphinx missing (${POCKETSPHINX_INSTALL}).`);
const sileroFile = modelFile("vad/silero_vad.onnx");
const jfkFile = modelFile("whisper/jfk.wav");

const QUESTION = "What time do you open on Saturday?";
const ANSWER = "We open at nine in the morning on Saturday. Please call the office tomorrow.";
const JFK_TEXT =
  "And so my fellow Americans ask not what your country can do for you ask what you can do for your country";

async function synthesize(text: string, voice = "kal16"): Promise<Int16Array> {
  const tts = createFliteTextToSpeech({ voice });
  const chunks: PcmChunk[] = [];
  for await (const chunk of tts.synthesize(text)) chunks.push(chunk);
  await tts.close();
  const out = new Int16Array(chunks.reduce((n, c) => n + c.samples.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk.samples, offset);
    offset += chunk.samples.length;
  }
  return out;
}

async function transcribe(samples: Int16Array): Promise<string> {
  const stt = await createPocketsphinxSpeechToText();
  const stream = await stt.stream();
  const texts: string[] = [];
  const collecting = (async () => {
    for await (const event of stream as AsyncIterable<TranscriptEvent>) texts.push(event.text);
  })();
  for (let i = 0; i < samples.length; i += 320) stream.push(samples.subarray(i, i + 320));
  stream.end();
  await collecting;
  return texts.join(" ");
}

describe.skipIf(!hasPocketsphinx)("VoiceSession with real VAD, pocketsphinx and flite", () => {
  const tts = createFliteTextToSpeech({ voice: "kal16" });
  afterAll(() => tts.close());

  async function runCall(options: {
    caller: Int16Array;
    vad: "webrtc" | "silero";
    endSilenceMs?: number;
    silenceFrameDelayMs?: number;
  }) {
    const vad =
      options.vad === "silero"
        ? await createSileroVad({ modelPath: sileroFile! })
        : await createWebRtcVad({ sampleRate: 16000 });
    const asked: string[] = [];
    const session = new VoiceSession({
      inputSampleRate: 16000,
      vad,
      stt: await createPocketsphinxSpeechToText(),
      tts,
      endpointing: { endSilenceMs: options.endSilenceMs ?? 600 },
      // PocketSphinx decodes at about real time on a busy machine and the test feeds faster;
      // the test is about the pipeline, not the recogniser's speed, so it waits for the final.
      sttFinalTimeoutMs: 120_000,
      respond: async function* (userText) {
        asked.push(userText);
        for (const word of ANSWER.split(/(?<= )/)) yield word;
      },
    });
    const events: VoiceSessionEvent[] = [];
    session.on((event) => events.push(event));
    session.start();
    await pushSpeech(session, new Int16Array(8000));
    await pushSpeech(session, options.caller, { frameDelayMs: 8 });
    const answered = await pushSilenceUntil(
      session,
      () => session.getTranscript().some((entry) => entry.role === "agent"),
      // Real engines need wall time: pace the silence at a quarter of real time.
      { maxMs: 90_000, frameDelayMs: options.silenceFrameDelayMs ?? 5 },
    );
    session.close();
    vad.close();
    return { session, events, asked, answered };
  }

  it("answers a spoken question: transcript, agent audio that transcribes back, metrics, recording", async () => {
    const { session, events, asked, answered } = await runCall({
      caller: await synthesize(QUESTION),
      vad: "webrtc",
    });
    expect(answered).toBe(true);
    expect(asked).toHaveLength(1);
    expect(wordOverlap(QUESTION, asked[0]!)).toBeGreaterThanOrEqual(0.5);

    const userFinal = events.find((e) => e.type === "transcript" && e.role === "user" && e.final);
    expect(userFinal).toBeDefined();
    expect(
      events.filter((e) => e.type === "agent-state").map((e) => e.type === "agent-state" && e.state),
    ).toEqual(["thinking", "speaking", "listening"]);

    const frames = events.flatMap((e) => (e.type === "audio" ? [e] : []));
    expect(frames.length).toBeGreaterThan(50);
    expect(frames.every((f) => f.samples.length === 320 && f.sampleRate === 16000)).toBe(true);
    // Frames are scheduled back to back on the session clock.
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.playoutMs).toBe(frames[i - 1]!.playoutMs + 20);
    const agentAudio = new Int16Array(frames.length * 320);
    for (const [i, f] of frames.entries()) agentAudio.set(f.samples, i * 320);
    expect(wordOverlap(ANSWER, await transcribe(agentAudio))).toBeGreaterThanOrEqual(0.5);

    const [user, agent] = session.getTranscript();
    expect(user!.role).toBe("user");
    expect(agent).toMatchObject({ role: "agent", text: ANSWER, kind: "reply" });
    expect(agent!.startMs).toBeGreaterThan(user!.endMs);
    expect(agent!.startMs).toBe(frames[0]!.playoutMs);
    const metrics = agent!.metrics!;
    expect(metrics).toEqual(session.getMetrics()[0]);
    for (const key of [
      "endpointingMs",
      "sttFinalMs",
      "llmFirstTokenMs",
      "firstSentenceMs",
      "ttsFirstByteMs",
      "firstFrameMs",
      "responseLatencyMs",
    ] as const) {
      expect(metrics[key], key).toBeGreaterThanOrEqual(0);
    }
    expect(metrics.endpointingMs).toBeGreaterThanOrEqual(600);
    expect(metrics.responseLatencyMs).toBeGreaterThan(metrics.endpointingMs!);

    // Recording: caller on the left where they spoke, agent on the right where it played.
    const wav = readWav(session.getRecording());
    expect(wav).toMatchObject({ sampleRate: 16000, channels: 2 });
    const { left, right } = deinterleaveStereo(wav.samples);
    const at = (ms: number) => ms * 16;
    expect(rmsOf(left.subarray(at(user!.startMs), at(user!.endMs)))).toBeGreaterThan(300);
    expect(rmsOf(right.subarray(at(user!.startMs), at(user!.endMs)))).toBe(0);
    expect(rmsOf(right.subarray(at(agent!.startMs), at(agent!.endMs)))).toBeGreaterThan(300);
  }, 120_000);

  it.skipIf(!jfkFile || !sileroFile)(
    "hears jfk.wav through Silero VAD and answers it",
    async () => {
      const { asked, answered, session } = await runCall({
        caller: loadWav(jfkFile!).samples,
        vad: "silero",
        endSilenceMs: 1500,
        // PocketSphinx needs up to twice real time for these 11 s on a loaded 2-core machine.
        silenceFrameDelayMs: 20,
      });
      expect(answered).toBe(true);
      const heard = session
        .getTranscript()
        .filter((e) => e.role === "user")
        .map((e) => e.text)
        .join(" ");
      expect(asked.join(" ")).toBe(heard);
      expect(wordOverlap(JFK_TEXT, heard)).toBeGreaterThanOrEqual(0.4);
      expect(heard).toMatch(/country/);
    },
    120_000,
  );
});
