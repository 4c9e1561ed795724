import { describe, expect, it } from "vitest";
import { parseVoiceEvent } from "../src/index.ts";

describe("parseVoiceEvent", () => {
  it("types every event the voice socket sends", () => {
    const cases: [unknown, unknown][] = [
      [
        { type: "ready", sessionId: "s1", sampleRate: 16000, frameMs: 20, encoding: "pcm16le" },
        { type: "ready", sessionId: "s1", sampleRate: 16000, frameMs: 20 },
      ],
      [
        { type: "agent-state", state: "thinking", atMs: 1200 },
        { type: "state", state: "thinking", atMs: 1200 },
      ],
      [
        { type: "user-speech", speaking: true, atMs: 40 },
        { type: "user-speech", speaking: true, atMs: 40 },
      ],
      [
        { type: "transcript", role: "user", final: false, text: "what time", startMs: 300 },
        { type: "transcript", role: "user", final: false, text: "what time", startMs: 300 },
      ],
      [
        { type: "transcript", role: "agent", final: true, text: "At nine.", startMs: 2000, endMs: 2900 },
        { type: "transcript", role: "agent", final: true, text: "At nine.", startMs: 2000, endMs: 2900 },
      ],
      [
        { type: "clear", atMs: 5000 },
        { type: "clear", atMs: 5000 },
      ],
      [
        { type: "interrupted", heardText: "We open", generatedText: "We open at nine.", atMs: 5100 },
        { type: "interrupted", heardText: "We open", generatedText: "We open at nine.", atMs: 5100 },
      ],
      [
        { type: "resumed", atMs: 6000 },
        { type: "resumed", atMs: 6000 },
      ],
      [
        { type: "handoff", from: "front-desk", to: "billing" },
        { type: "handoff", from: "front-desk", to: "billing" },
      ],
      [
        { type: "needs-human", detail: "Wants a person" },
        { type: "needs-human", detail: "Wants a person" },
      ],
      [
        { type: "error", code: "validation-error", message: "Audio must be PCM16" },
        { type: "error", code: "validation-error", message: "Audio must be PCM16" },
      ],
      [
        { type: "ended", reason: "idle-timeout", atMs: 90000 },
        { type: "ended", reason: "idle-timeout", atMs: 90000 },
      ],
    ];
    for (const [wire, typed] of cases) expect(parseVoiceEvent(JSON.stringify(wire))).toEqual(typed);
  });

  it("keeps the known latency fields of metrics and drops anything else", () => {
    const event = parseVoiceEvent(
      JSON.stringify({
        type: "metrics",
        metrics: {
          turn: 2,
          kind: "reply",
          responseLatencyMs: 812.5,
          sttFinalMs: 120,
          llmFirstTokenMs: "fast",
          secret: 1,
          interrupted: false,
        },
      }),
    );
    expect(event).toEqual({
      type: "metrics",
      metrics: { turn: 2, kind: "reply", responseLatencyMs: 812.5, sttFinalMs: 120, interrupted: false },
    });
  });

  it("ignores what it does not understand instead of throwing", () => {
    for (const text of [
      "not json",
      "[]",
      "null",
      '"ready"',
      JSON.stringify({ type: "future-event", x: 1 }),
      JSON.stringify({ type: "agent-state", state: "dancing" }),
      JSON.stringify({ type: "transcript", role: "robot", final: true, text: "hi" }),
      JSON.stringify({ type: "transcript", role: "user", text: "no final flag" }),
      JSON.stringify({ type: "ready", sessionId: "s1" }),
      JSON.stringify({ type: "metrics", metrics: { kind: "reply" } }),
      JSON.stringify({ type: "handoff", from: "a" }),
    ]) {
      expect(parseVoiceEvent(text), text).toBeUndefined();
    }
    // Missing texts get words a page can show.
    expect(parseVoiceEvent('{"type":"error"}')).toEqual({
      type: "error",
      code: "voice-error",
      message: "The voice call failed.",
    });
  });
});
