import type { AgentState, VoiceCallEvent, VoiceTurnMetrics } from "@oratio/sdk";

/** One line of the live call transcript. */
export type VoiceLine =
  | {
      id: string;
      kind: "speech";
      role: "user" | "agent";
      text: string;
      /** False while the words may still change (a partial transcript). */
      final: boolean;
      /** The agent was cut off; `text` is what the caller heard. */
      interrupted: boolean;
      /** Call time the words started at, so lines stay in spoken order. */
      startMs: number;
    }
  | { id: string; kind: "notice"; text: string; tone: "info" | "error"; startMs: number };

/** What the voice panel shows, built from the call's events alone. */
export interface VoiceCallView {
  lines: VoiceLine[];
  agentState: AgentState;
  userSpeaking: boolean;
  /** Latency of each agent turn, in the order they finished. */
  turns: VoiceTurnMetrics[];
  /** Set once the call is over. */
  endedReason?: string;
  /** An interruption was reported; the agent's next final line is the part that was heard. */
  pendingInterruption: boolean;
}

export const initialVoiceView: VoiceCallView = {
  lines: [],
  agentState: "listening",
  userSpeaking: false,
  turns: [],
  pendingInterruption: false,
};

let counter = 0;
const nextId = () => `voice-line-${++counter}`;

/** Applies one call event; pure, so the order of events alone decides the view. */
export function applyVoiceEvent(view: VoiceCallView, event: VoiceCallEvent): VoiceCallView {
  switch (event.type) {
    case "state":
      return { ...view, agentState: event.state };
    case "user-speech":
      return { ...view, userSpeaking: event.speaking };
    case "transcript": {
      const interrupted = event.role === "agent" && event.final && view.pendingInterruption;
      const line: VoiceLine = {
        id: nextId(),
        kind: "speech",
        role: event.role,
        text: event.text,
        final: event.final,
        interrupted,
        startMs: event.startMs,
      };
      return {
        ...view,
        lines: placeSpeech(view.lines, line),
        pendingInterruption: interrupted ? false : view.pendingInterruption,
      };
    }
    case "interrupted":
      return { ...view, pendingInterruption: true };
    case "metrics":
      return { ...view, turns: [...view.turns, event.metrics] };
    case "handoff":
      return notice(view, `Handed off from ${event.from} to ${event.to}`, "info");
    case "needs-human":
      return notice(view, `Asked for a person${event.detail ? `: ${event.detail}` : ""}`, "info");
    case "error":
      return notice(view, event.message, "error");
    case "ended":
      return { ...view, endedReason: event.reason, agentState: "listening", userSpeaking: false };
    case "closed":
      return {
        ...view,
        endedReason: view.endedReason ?? (event.clean ? "hang-up" : "connection lost"),
        agentState: "listening",
        userSpeaking: false,
      };
    default:
      return view;
  }
}

/**
 * A partial line is replaced by the next transcript from the same speaker; other lines are
 * inserted by start time, because an interrupted agent line is only final after the
 * caller's words that cut it off.
 */
function placeSpeech(lines: VoiceLine[], line: Extract<VoiceLine, { kind: "speech" }>): VoiceLine[] {
  const partial = lines.findLastIndex((l) => l.kind === "speech" && l.role === line.role && !l.final);
  const rest = partial === -1 ? lines : [...lines.slice(0, partial), ...lines.slice(partial + 1)];
  const reused = partial === -1 ? line : { ...line, id: lines[partial]!.id };
  let at = rest.length;
  while (at > 0 && rest[at - 1]!.startMs > reused.startMs) at--;
  return [...rest.slice(0, at), reused, ...rest.slice(at)];
}

function notice(view: VoiceCallView, text: string, tone: "info" | "error"): VoiceCallView {
  const startMs = view.lines.at(-1)?.startMs ?? 0;
  return { ...view, lines: [...view.lines, { id: nextId(), kind: "notice", text, tone, startMs }] };
}

/** "1.2 s" or "840 ms". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** The parts of a turn's latency worth showing, in pipeline order. */
export function latencyParts(metrics: VoiceTurnMetrics): { label: string; ms: number }[] {
  const parts: [string, number | undefined][] = [
    ["end of speech", metrics.endpointingMs],
    ["recognition", metrics.sttFinalMs],
    ["model first token", metrics.llmFirstTokenMs],
    ["speech synthesis", metrics.ttsFirstByteMs],
  ];
  return parts.flatMap(([label, ms]) => (ms === undefined ? [] : [{ label, ms }]));
}
