import { describe, expect, it } from "vitest";
import { createWebRtcVad, readWav, VoiceSession, type VoiceSessionEvent } from "../src/index.ts";
import { FakeSpeechToText, FakeTextToSpeech, pushSilenceUntil, pushSpeech } from "../src/testing/index.ts";

/** A loud square-ish "voice" the WebRTC VAD takes for speech. */
function voiceLike(seconds: number): Int16Array {
  const out = new Int16Array(16000 * seconds);
  for (let i = 0; i < out.length; i++) {
    const t = i / 16000;
    out[i] = Math.round(
      6000 * Math.sin(2 * Math.PI * 180 * t) * (1 + Math.sin(2 * Math.PI * 4 * t)) +
        3000 * Math.sin(2 * Math.PI * 900 * t),
    );
  }
  return out;
}

async function newSession(overrides: Partial<ConstructorParameters<typeof VoiceSession>[0]> = {}) {
  const session = new VoiceSession({
    inputSampleRate: 16000,
    vad: await createWebRtcVad({ sampleRate: 16000, aggressiveness: 3 }),
    stt: new FakeSpeechToText({ transcripts: ["book me in for tuesday"], finalDelayMs: 10 }),
    tts: new FakeTextToSpeech({ firstByteDelayMs: 5 }),
    respond: async function* () {
      yield "Certainly. Tuesday at ten is free.";
    },
    ...overrides,
  });
  const log: VoiceSessionEvent[] = [];
  session.on((event) => log.push(event));
  return { session, log };
}

describe("VoiceSession robustness", () => {
  it("rejects malformed audio with an error event and keeps working", async () => {
    const { session, log } = await newSession();
    expect(session.pushAudio(new Int16Array(320))).toBe(false); // before start()
    session.start();
    expect(session.pushAudio(new Uint8Array(641))).toBe(false); // odd byte length
    expect(session.pushAudio(new Int16Array(100))).toBe(false); // not a whole frame
    expect(session.pushAudio(new Int16Array(0))).toBe(false);
    expect(session.pushAudio(new Int16Array(320 * 60))).toBe(false); // more than a second
    expect(session.pushAudio("noise" as unknown as Int16Array)).toBe(false);
    session.markPlayed(-5);
    const errors = log.filter((e) => e.type === "error");
    expect(errors).toHaveLength(7);
    expect(errors.map((e) => (e as { error: Error }).error.message).join("\n")).toMatch(
      /even number of bytes/,
    );
    expect(session.clockMs).toBe(0);
    // Valid input still flows, as samples or as bytes at an odd offset.
    expect(session.pushAudio(new Int16Array(640))).toBe(true);
    const bytes = new Uint8Array(641).subarray(1);
    expect(session.pushAudio(bytes)).toBe(true);
    expect(session.clockMs).toBe(60);
    session.close();
  });

  it("survives a listener that throws, reporting it as an error", async () => {
    const { session, log } = await newSession();
    session.on((event) => {
      if (event.type === "agent-state") throw new Error("listener bug");
    });
    session.start();
    await pushSpeech(session, voiceLike(1));
    await pushSilenceUntil(session, () => session.getTranscript().length >= 2, { maxMs: 10_000 });
    expect(session.getTranscript().map((e) => e.role)).toEqual(["user", "agent"]);
    expect(log.some((e) => e.type === "error" && e.error.message === "listener bug")).toBe(true);
    session.close();
  });

  it("closes mid-reply: ends cleanly, keeps the transcript and recording, ignores later audio", async () => {
    const signals: AbortSignal[] = [];
    const { session, log } = await newSession({
      respond: async function* (_text, { signal }) {
        signals.push(signal);
        yield "Let me look at the calendar for you. ";
        await new Promise((resolve) => signal.addEventListener("abort", resolve));
      },
    });
    const iterated: string[] = [];
    const iterating = (async () => {
      for await (const event of session.stream()) iterated.push(event.type);
    })();
    session.start();
    await pushSpeech(session, voiceLike(1));
    await pushSilenceUntil(session, () => session.agentState === "speaking", { maxMs: 10_000 });
    await pushSilenceUntil(session, () => false, { maxMs: 400 });
    session.close();
    await iterating;
    expect(iterated.at(-1)).toBe("ended");
    expect(log.at(-1)).toMatchObject({ type: "ended", reason: "closed" });
    expect(signals[0]!.aborted).toBe(true);
    const transcript = session.getTranscript();
    expect(transcript.map((e) => e.role)).toEqual(["user", "agent"]);
    expect(transcript[1]).toMatchObject({
      interrupted: true,
      generatedText: "Let me look at the calendar for you.",
    });
    expect(transcript[1]!.text.length).toBeGreaterThan(0);
    expect(session.pushAudio(new Int16Array(320))).toBe(false);
    const wav = readWav(session.getRecording());
    expect(wav.channels).toBe(2);
    expect(wav.samples.length / 2).toBe((session.clockMs * 16000) / 1000);
    session.close(); // idempotent
    expect(log.filter((e) => e.type === "ended")).toHaveLength(1);
  });

  it("closes while the transcript is still pending", async () => {
    const { session, log } = await newSession({
      stt: new FakeSpeechToText({ transcripts: ["hello"], finalDelayMs: 5_000 }),
    });
    session.start();
    await pushSpeech(session, voiceLike(1));
    await pushSilenceUntil(session, () => log.some((e) => e.type === "user-speech" && !e.speaking), {
      maxMs: 5_000,
    });
    session.close();
    expect(log.at(-1)).toMatchObject({ type: "ended" });
    expect(session.getTranscript()).toEqual([]);
  });

  it("reprompts an idle caller, then ends the call", async () => {
    const tts = new FakeTextToSpeech();
    const { session, log } = await newSession({
      tts,
      greeting: "Hello, how can I help?",
      idle: { timeoutMs: 2_000, reprompt: "Are you still there?", maxReprompts: 1 },
    });
    session.start();
    await pushSilenceUntil(session, () => session.ended, { maxMs: 20_000 });
    expect(tts.requests).toEqual(["Hello, how can I help?", "Are you still there?"]);
    expect(session.getTranscript().map((e) => e.kind)).toEqual(["greeting", "reprompt"]);
    expect(log.at(-1)).toMatchObject({ type: "ended", reason: "idle-timeout" });
  });

  it("ends the call at the maximum length", async () => {
    const { session, log } = await newSession({ maxCallMs: 1_000 });
    session.start();
    await pushSilenceUntil(session, () => session.ended, { maxMs: 5_000 });
    expect(log.at(-1)).toMatchObject({ type: "ended", reason: "max-duration", atMs: 1_000 });
  });

  it("reports a failing respond() as an error and returns to listening", async () => {
    const { session, log } = await newSession({
      respond: async function* () {
        yield* [];
        throw new Error("model unavailable");
      },
    });
    session.start();
    await pushSpeech(session, voiceLike(1));
    await pushSilenceUntil(session, () => log.some((e) => e.type === "error"), { maxMs: 10_000 });
    await pushSilenceUntil(session, () => session.agentState === "listening", { maxMs: 1_000 });
    expect(log.find((e) => e.type === "error")).toMatchObject({ error: { message: "model unavailable" } });
    expect(session.agentState).toBe("listening");
    session.close();
  });
});
