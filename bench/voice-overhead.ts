/**
 * Platform overhead per voice turn: end of caller speech → first agent frame handed to the
 * transport, minus the endpointing silence and the fake providers' configured delays
 * (STT final, LLM first token, TTS first byte). What is left is the session's own work plus
 * timer lateness. Goal: p95 ≤ 10 ms.
 *
 *   npx tsx bench/voice-overhead.ts
 */
import { type TurnMetrics, VoiceSession } from "@oratio/speech";
import { FakeSpeechToText, FakeTextToSpeech } from "@oratio/speech/testing";
import {
  callerSpeech,
  createVad,
  hasSilero,
  nextTurn,
  round,
  sleep,
  summary,
  writeResult,
} from "./voice-shared.ts";

const TURNS = 40;
const STT_MS = 40;
const LLM_MS = 30;
const TTS_MS = 40;

const vadKind = hasSilero ? "silero" : "webrtc";
const vad = await createVad(vadKind);
const speech = await callerSpeech("What are your opening hours on Saturday?");
const session = new VoiceSession({
  inputSampleRate: 16000,
  vad,
  stt: new FakeSpeechToText({
    transcripts: () => "what are your opening hours on saturday",
    finalDelayMs: STT_MS,
  }),
  tts: new FakeTextToSpeech({ sampleRate: 16000, firstByteDelayMs: TTS_MS, msPerCharacter: 20 }),
  respond: async function* () {
    await sleep(LLM_MS);
    yield "We open at ten on Saturdays, ";
    yield "and close at two.";
  },
});
const metrics: TurnMetrics[] = [];
session.on((event) => {
  if (event.type === "metrics" && event.metrics.kind === "reply") metrics.push(event.metrics);
});
session.start();
const silence = new Int16Array(320);
const started = performance.now();
for (let turn = 0; turn < TURNS && performance.now() - started < 50_000; turn++) {
  for (let i = 0; i + 320 <= speech.length; i += 320) {
    session.pushAudio(speech.subarray(i, i + 320));
    await nextTurn();
  }
  // Real-time silence while the turn is decided and answered, as a live call sends it.
  const before = metrics.length;
  let next = performance.now();
  while (session.agentState !== "speaking" && metrics.length === before) {
    session.pushAudio(silence);
    next += 20;
    await sleep(Math.max(0, next - performance.now()));
  }
  // The rest of the reply plays out at full speed.
  while (metrics.length === before) {
    session.pushAudio(silence);
    await nextTurn();
  }
}
session.close();
vad.close();

const configured = STT_MS + LLM_MS + TTS_MS;
const overhead = metrics.map((m) => m.responseLatencyMs! - m.endpointingMs! - configured);
const rows = {
  "overhead (total − endpointing − configured delays)": summary(overhead),
  "STT final beyond its 40 ms": summary(metrics.map((m) => m.sttFinalMs! - STT_MS)),
  "LLM first token beyond its 30 ms": summary(metrics.map((m) => m.llmFirstTokenMs! - LLM_MS)),
  "first clause after first token": summary(metrics.map((m) => m.firstSentenceMs! - m.llmFirstTokenMs!)),
  "TTS first byte beyond its 40 ms": summary(metrics.map((m) => m.ttsFirstByteMs! - TTS_MS)),
  "TTS first byte → first frame out": summary(metrics.map((m) => m.firstFrameMs!)),
  "end of speech → first frame (incl. 600 ms endpointing)": summary(metrics.map((m) => m.responseLatencyMs!)),
};
console.log(
  `voice-overhead: ${metrics.length} turns, VAD ${vadKind}, fake STT ${STT_MS} ms / LLM ${LLM_MS} ms / TTS ${TTS_MS} ms`,
);
console.table(rows);
const p95 = summary(overhead).p95;
console.log(`overhead p95 ${p95} ms — goal ≤ 10 ms: ${p95 <= 10 ? "met" : "NOT met"}`);
const file = writeResult("voice-overhead", {
  turns: metrics.length,
  vad: vadKind,
  configuredDelaysMs: { stt: STT_MS, llmFirstToken: LLM_MS, ttsFirstByte: TTS_MS },
  rows,
  goal: { p95Ms: 10, met: p95 <= 10 },
  samples: overhead.map((v) => round(v)),
});
console.log(`wrote ${file}`);
