import type { PcmChunk } from "@oratio/core/speech";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createFliteTextToSpeech,
  createWebRtcVad,
  deinterleaveStereo,
  type InterruptionOptions,
  readWav,
  VoiceSession,
  type VoiceSessionEvent,
} from "../src/index.ts";
import { FakeSpeechToText, FakeTextToSpeech, pushSilenceUntil, pushSpeech } from "../src/testing/index.ts";
import { rmsOf } from "./session-audio.ts";

// Real caller speech (flite) through the real WebRTC VAD; recognition and the agent voice
// are timed fakes, so what is heard and when is scripted and every run behaves the same.
const REPLY = [
  "Our hours are nine to five on weekdays. ",
  "On Saturdays we open at ten and close at two. ",
  "We are closed on Sundays and public holidays. ",
];

let question: Int16Array;
let bargeIn: Int16Array;

async function speak(text: string): Promise<Int16Array> {
  const tts = createFliteTextToSpeech({ voice: "kal16" });
  const chunks: PcmChunk[] = [];
  for await (const chunk of tts.synthesize(text)) chunks.push(chunk);
  await tts.close();
  const out = new Int16Array(chunks.reduce((n, c) => n + c.samples.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c.samples, offset);
    offset += c.samples.length;
  }
  return out;
}

beforeAll(async () => {
  question = await speak("What are your opening hours?");
  bargeIn = await speak("Wait, I need to cancel my appointment.");
});

async function callWithBargeIn(options: {
  bargeInTranscript: string;
  holdGeneration: boolean;
  interruption?: InterruptionOptions;
}) {
  const signals: AbortSignal[] = [];
  const session = new VoiceSession({
    inputSampleRate: 16000,
    vad: await createWebRtcVad({ sampleRate: 16000 }),
    stt: new FakeSpeechToText({
      transcripts: ["what are your opening hours", options.bargeInTranscript],
      finalDelayMs: 20,
    }),
    tts: new FakeTextToSpeech({ sampleRate: 16000, firstByteDelayMs: 5 }),
    interruption: { confirmWindowMs: 800, ...options.interruption },
    respond: async function* (_text, { signal }) {
      signals.push(signal);
      if (signals.length > 1) {
        yield "Sure, I can cancel it for you.";
        return;
      }
      for (const sentence of REPLY) yield sentence;
      // A model still generating when the caller cuts in.
      if (options.holdGeneration) await new Promise((resolve) => signal.addEventListener("abort", resolve));
    },
  });
  const log: VoiceSessionEvent[] = [];
  session.on((event) => log.push(event));
  session.start();
  await pushSpeech(session, new Int16Array(4800));
  await pushSpeech(session, question);
  // Let the agent talk for a second.
  const talking = await pushSilenceUntil(session, () => log.filter((e) => e.type === "audio").length >= 50, {
    maxMs: 20_000,
  });
  expect(talking).toBe(true);
  const onsetSearchFrom = log.length;
  await pushSpeech(session, bargeIn);
  return { session, log, signals, onsetSearchFrom };
}

describe("VoiceSession barge-in", () => {
  it("stops agent audio on the onset frame, clears the transport, aborts the reply and keeps what was heard", async () => {
    const { session, log, signals, onsetSearchFrom } = await callWithBargeIn({
      bargeInTranscript: "wait i need to cancel my appointment",
      holdGeneration: true,
    });
    await pushSilenceUntil(
      session,
      () => session.getTranscript().filter((e) => e.role === "agent").length >= 2,
      {
        maxMs: 20_000,
      },
    );
    session.close();

    const onset = log.findIndex((e, i) => i >= onsetSearchFrom && e.type === "user-speech" && e.speaking);
    expect(onset).toBeGreaterThan(0);
    // The clear is part of processing the onset frame: it comes before any other event.
    expect(log[onset + 1]).toMatchObject({ type: "clear-output" });
    const interrupted = log.findIndex((e) => e.type === "interrupted");
    const nextThinking = log.findIndex(
      (e, i) => i > interrupted && e.type === "agent-state" && e.state === "thinking",
    );
    expect(interrupted).toBeGreaterThan(onset);
    expect(nextThinking).toBeGreaterThan(interrupted);
    // Not one agent frame between the onset and the next reply.
    expect(log.slice(onset, nextThinking).some((e) => e.type === "audio")).toBe(false);
    expect(log.slice(nextThinking).some((e) => e.type === "audio")).toBe(true);

    expect(signals).toHaveLength(2);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]!.aborted).toBe(false);

    const event = log[interrupted] as Extract<VoiceSessionEvent, { type: "interrupted" }>;
    expect(event.generatedText).toBe(REPLY.join("").trim());
    expect(event.heardText.length).toBeGreaterThan(0);
    expect(event.heardText.length).toBeLessThan(event.generatedText.length);
    expect(event.generatedText.startsWith(event.heardText)).toBe(true);

    // While it spoke, the agent's words arrived clause by clause as each began to play.
    const partials = log
      .map((e, i) => ({ e, i }))
      .filter(({ e, i }) => i < interrupted && e.type === "transcript" && e.role === "agent" && !e.final);
    expect(partials.length).toBeGreaterThanOrEqual(1);
    expect(partials.map(({ e }) => (e as { text: string }).text)).toEqual(
      partials.map((_, n) =>
        REPLY.slice(0, n + 1)
          .join("")
          .trim(),
      ),
    );
    for (const { i } of partials) expect(log[i + 1]).toMatchObject({ type: "audio" });

    const agentEntries = session.getTranscript().filter((e) => e.role === "agent");
    expect(agentEntries[0]).toMatchObject({
      interrupted: true,
      text: event.heardText,
      generatedText: event.generatedText,
    });
    expect(agentEntries[1]).toMatchObject({ text: "Sure, I can cancel it for you." });
    const metrics = agentEntries[0]!.metrics!;
    expect(metrics.interrupted).toBe(true);
    expect(metrics.bargeInReactionMs).toBeGreaterThanOrEqual(0);
    expect(metrics.bargeInDetectionMs).toBeGreaterThanOrEqual(150);
    expect(session.getTranscript().map((e) => e.role)).toEqual(["user", "agent", "user", "agent"]);

    // The recording holds no agent audio between the barge-in and the next reply.
    const onsetMs = (log[onset] as { atMs: number }).atMs + metrics.bargeInDetectionMs!;
    const { right } = deinterleaveStereo(readWav(session.getRecording()).samples);
    const gap = right.subarray(onsetMs * 16 + 16, agentEntries[1]!.startMs * 16);
    expect(gap.length).toBeGreaterThan(0);
    expect(rmsOf(gap)).toBe(0);
    expect(rmsOf(right.subarray(agentEntries[0]!.startMs * 16, onsetMs * 16))).toBeGreaterThan(1000);
  });

  it.each([
    ["a backchannel", "yeah"],
    ["a noise with no words", ""],
  ])("pauses for %s and then resumes the same reply", async (_name, transcript) => {
    const { session, log, signals, onsetSearchFrom } = await callWithBargeIn({
      bargeInTranscript: transcript,
      holdGeneration: false,
    });
    await pushSilenceUntil(session, () => session.getTranscript().some((e) => e.role === "agent"), {
      maxMs: 30_000,
    });
    session.close();
    const onset = log.findIndex((e, i) => i >= onsetSearchFrom && e.type === "user-speech" && e.speaking);
    expect(log[onset + 1]).toMatchObject({ type: "clear-output" });
    const resumed = log.findIndex((e) => e.type === "resumed");
    expect(resumed).toBeGreaterThan(onset);
    expect(log.slice(onset, resumed).some((e) => e.type === "audio")).toBe(false);
    expect(log.slice(resumed).some((e) => e.type === "audio")).toBe(true);
    expect(log.some((e) => e.type === "interrupted")).toBe(false);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
    const agent = session.getTranscript().find((e) => e.role === "agent")!;
    expect(agent).toMatchObject({ text: REPLY.join("").trim() });
    expect(agent.interrupted).toBeUndefined();
  });

  it("without the guard, the onset frame itself aborts the reply", async () => {
    const { session, log, signals, onsetSearchFrom } = await callWithBargeIn({
      bargeInTranscript: "wait i need to cancel",
      holdGeneration: true,
      interruption: { guard: false },
    });
    session.close();
    const onset = log.findIndex((e, i) => i >= onsetSearchFrom && e.type === "user-speech" && e.speaking);
    expect(log.slice(onset + 1, onset + 3).map((e) => e.type)).toEqual(["clear-output", "interrupted"]);
    expect(signals[0]!.aborted).toBe(true);
  });

  it("lets the agent finish when interruptions are off, then answers what was said", async () => {
    const { session, log, signals } = await callWithBargeIn({
      bargeInTranscript: "wait i need to cancel",
      holdGeneration: false,
      interruption: { enabled: false },
    });
    await pushSilenceUntil(
      session,
      () => session.getTranscript().filter((e) => e.role === "agent").length >= 2,
      {
        maxMs: 30_000,
      },
    );
    session.close();
    expect(log.some((e) => e.type === "clear-output")).toBe(false);
    expect(signals).toHaveLength(2);
    expect(session.getTranscript().find((e) => e.role === "agent")!.text).toBe(REPLY.join("").trim());
  });
});
