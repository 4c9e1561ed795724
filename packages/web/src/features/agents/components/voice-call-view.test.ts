import type { VoiceCallEvent } from "@oratio/sdk";
import { describe, expect, it } from "vitest";
import {
  applyVoiceEvent,
  formatMs,
  initialVoiceView,
  latencyParts,
  type VoiceCallView,
} from "./voice-call-view.ts";

const play = (events: VoiceCallEvent[], from: VoiceCallView = initialVoiceView) =>
  events.reduce(applyVoiceEvent, from);
const speech = (view: VoiceCallView) =>
  view.lines.map((line) =>
    line.kind === "speech"
      ? `${line.role}${line.final ? "" : "?"}${line.interrupted ? "!" : ""}: ${line.text}`
      : `[${line.tone}] ${line.text}`,
  );

describe("the voice call view", () => {
  it("replaces a partial transcript with the next one and keeps finals", () => {
    const view = play([
      { type: "transcript", role: "user", final: false, text: "what time", startMs: 500 },
      { type: "transcript", role: "user", final: false, text: "what time do you", startMs: 500 },
      {
        type: "transcript",
        role: "user",
        final: true,
        text: "what time do you open",
        startMs: 500,
        endMs: 1800,
      },
      { type: "transcript", role: "agent", final: true, text: "At nine.", startMs: 2600, endMs: 3300 },
    ]);
    expect(speech(view)).toEqual(["user: what time do you open", "agent: At nine."]);
  });

  it("orders an interrupted agent line before the caller's words that cut it off, and marks it", () => {
    const view = play([
      { type: "state", state: "speaking", atMs: 1000 },
      { type: "clear", atMs: 2400 },
      { type: "transcript", role: "user", final: true, text: "stop please", startMs: 2300, endMs: 3000 },
      {
        type: "interrupted",
        heardText: "We are open",
        generatedText: "We are open from nine to five.",
        atMs: 3100,
      },
      { type: "transcript", role: "agent", final: true, text: "We are open", startMs: 1000, endMs: 3100 },
      { type: "state", state: "listening", atMs: 3100 },
      { type: "transcript", role: "agent", final: true, text: "Of course.", startMs: 4000 },
    ]);
    expect(speech(view)).toEqual(["agent!: We are open", "user: stop please", "agent: Of course."]);
    expect(view.agentState).toBe("listening");
    expect(view.pendingInterruption).toBe(false);
  });

  it("collects per-turn latency and shows handoffs, requests for a person and errors as notices", () => {
    const view = play([
      {
        type: "metrics",
        metrics: {
          turn: 1,
          kind: "reply",
          responseLatencyMs: 840,
          sttFinalMs: 120,
          llmFirstTokenMs: 300,
          interrupted: false,
        },
      },
      { type: "handoff", from: "front-desk", to: "billing" },
      { type: "needs-human", detail: "Caller asked for a person" },
      { type: "error", code: "validation-error", message: "Audio must be PCM16" },
      { type: "user-speech", speaking: true, atMs: 9000 },
    ]);
    expect(view.turns.map((t) => t.responseLatencyMs)).toEqual([840]);
    expect(latencyParts(view.turns[0]!)).toEqual([
      { label: "recognition", ms: 120 },
      { label: "model first token", ms: 300 },
    ]);
    expect(speech(view)).toEqual([
      "[info] Handed off from front-desk to billing",
      "[info] Asked for a person: Caller asked for a person",
      "[error] Audio must be PCM16",
    ]);
    expect(view.userSpeaking).toBe(true);
  });

  it("records how the call ended", () => {
    expect(
      play([
        { type: "ended", reason: "idle-timeout" },
        { type: "closed", code: 1000, reason: "", clean: true },
      ]).endedReason,
    ).toBe("idle-timeout");
    expect(play([{ type: "closed", code: 1006, reason: "", clean: false }]).endedReason).toBe(
      "connection lost",
    );
  });

  it("formats durations for people", () => {
    expect([formatMs(38.4), formatMs(840), formatMs(1250)]).toEqual(["38 ms", "840 ms", "1.3 s"]);
  });
});
