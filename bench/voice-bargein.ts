/**
 * Barge-in reaction: the caller starts talking over the agent; how long from the moment
 * the onset frame reaches the session until agent output is stopped (the `clear-output`
 * event, after which no frame is handed out), and how much caller audio the detector
 * needed to call it speech (the minimum-speech setting plus detector lag).
 *
 *   npx tsx bench/voice-bargein.ts
 */
import { VoiceSession, type VoiceSessionEvent } from "@oratio/speech";
import { FakeSpeechToText, FakeTextToSpeech } from "@oratio/speech/testing";
import { callerSpeech, createVad, hasSilero, nextTurn, summary, writeResult } from "./voice-shared.ts";

const ROUNDS = 30;
const question = await callerSpeech("What are your opening hours?");
const interruption = await callerSpeech("Wait, I need to cancel my appointment.");
const results: Record<string, { reactionMs: number[]; detectionMs: number[] }> = {};

for (const kind of hasSilero ? (["silero", "webrtc"] as const) : (["webrtc"] as const)) {
  const reactionMs: number[] = [];
  const detectionMs: number[] = [];
  const vad = await createVad(kind);
  const session = new VoiceSession({
    inputSampleRate: 16000,
    vad,
    stt: new FakeSpeechToText({
      transcripts: (i) => (i % 2 === 0 ? "what are your hours" : "wait i need to cancel"),
      finalDelayMs: 5,
    }),
    tts: new FakeTextToSpeech({ sampleRate: 16000 }),
    interruption: { guard: false },
    respond: async function* (text) {
      if (text.startsWith("wait")) yield "Okay.";
      else yield "We open at nine and close at five on weekdays, and at ten on Saturdays. ".repeat(3);
    },
  });
  let clearedAt = 0;
  let onsetPushAt = 0;
  session.on((event: VoiceSessionEvent) => {
    if (event.type === "clear-output") clearedAt = performance.now();
  });
  session.start();
  const silence = new Int16Array(320);
  const push = async (samples: Int16Array) => {
    for (let i = 0; i + 320 <= samples.length; i += 320) {
      const before = performance.now();
      const clock = session.clockMs;
      clearedAt = 0;
      session.pushAudio(samples.subarray(i, i + 320));
      // Silero's batched inference answers after the push returns: wait for this frame.
      while (session.clockMs <= clock && !session.ended)
        await new Promise((resolve) => setImmediate(resolve));
      if (clearedAt > 0) onsetPushAt = before;
      await nextTurn();
    }
  };
  for (let round = 0; round < ROUNDS; round++) {
    await push(question);
    while (session.agentState !== "speaking") {
      session.pushAudio(silence);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    for (let i = 0; i < 40; i++) session.pushAudio(silence); // 0.8 s into the reply
    let stoppedAt = 0;
    const before = session.getMetrics().length;
    onsetPushAt = 0;
    const stop = session.on((event) => {
      if (event.type === "clear-output") stoppedAt = performance.now();
    });
    await push(interruption);
    stop();
    const metrics = session
      .getMetrics()
      .slice(before)
      .find((m) => m.interrupted);
    if (metrics && stoppedAt > 0 && onsetPushAt > 0) {
      reactionMs.push(stoppedAt - onsetPushAt);
      detectionMs.push(metrics.bargeInDetectionMs!);
    }
    // Let the short answer to the interruption play out before the next round.
    while (session.getMetrics().length < before + 2) {
      session.pushAudio(silence);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  session.close();
  vad.close();
  results[kind] = { reactionMs, detectionMs };
}

const rows: Record<string, ReturnType<typeof summary>> = {};
for (const [kind, r] of Object.entries(results)) {
  rows[`${kind}: onset frame in → output stopped (ms, wall)`] = summary(r.reactionMs);
  rows[`${kind}: speech onset → detected (ms of audio)`] = summary(r.detectionMs);
}
console.log(`voice-bargein: ${ROUNDS} barge-ins per VAD, guard off (stop = interrupt)`);
console.table(rows);
const file = writeResult("voice-bargein", { rounds: ROUNDS, rows, samples: results });
console.log(`wrote ${file}`);
process.exit(0);
