/**
 * The JSON control events of the browser voice protocol (`GET /api/v1/sessions/{id}/voice`),
 * as typed values. The server's names are kept except `agent-state`, which arrives as
 * `state`. Unknown or malformed messages parse to `undefined`, so a newer server that adds
 * an event does not break an older client.
 */

export type AgentState = "listening" | "thinking" | "speaking";

/** Latency breakdown of one agent turn, in milliseconds (see docs/voice.md). */
export interface VoiceTurnMetrics {
  /** 1-based agent turn index. */
  turn: number;
  /** `greeting`, `reply` or `reprompt`. */
  kind: string;
  /** End of the caller's speech → first agent audio sent: what the caller waits. */
  responseLatencyMs?: number;
  endpointingMs?: number;
  sttFinalMs?: number;
  llmFirstTokenMs?: number;
  firstSentenceMs?: number;
  ttsFirstByteMs?: number;
  firstFrameMs?: number;
  /** Caller speech onset → agent audio stopped. */
  bargeInReactionMs?: number;
  bargeInDetectionMs?: number;
  interrupted: boolean;
}

export type VoiceEvent =
  | { type: "ready"; sessionId: string; sampleRate: number; frameMs: number }
  | { type: "state"; state: AgentState; atMs: number }
  | { type: "user-speech"; speaking: boolean; atMs: number }
  | {
      type: "transcript";
      role: "user" | "agent";
      /** Partial transcripts are replaced by later ones until a final one arrives. */
      final: boolean;
      text: string;
      /** Call time (ms of caller audio) the words started at. */
      startMs: number;
      endMs?: number;
    }
  /** Drop agent audio that is queued but not yet heard: the caller started speaking. */
  | { type: "clear"; atMs: number }
  | { type: "interrupted"; heardText: string; generatedText: string; atMs: number }
  | { type: "resumed"; atMs: number }
  | { type: "metrics"; metrics: VoiceTurnMetrics }
  | { type: "handoff"; from: string; to: string }
  | { type: "needs-human"; detail: string }
  | { type: "error"; code: string; message: string }
  | { type: "ended"; reason: string; atMs?: number };

type Json = Record<string, unknown>;

const str = (value: unknown): value is string => typeof value === "string";
const num = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const optNum = (value: unknown): number | undefined => (num(value) ? value : undefined);
const AGENT_STATES: readonly string[] = ["listening", "thinking", "speaking"];

/** Parses one text message from the server; `undefined` when it is not a known event. */
export function parseVoiceEvent(text: string): VoiceEvent | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!message || typeof message !== "object" || Array.isArray(message)) return undefined;
  return toEvent(message as Json);
}

function toEvent(m: Json): VoiceEvent | undefined {
  switch (m.type) {
    case "ready":
      return str(m.sessionId) && num(m.sampleRate)
        ? {
            type: "ready",
            sessionId: m.sessionId,
            sampleRate: m.sampleRate,
            frameMs: optNum(m.frameMs) ?? 20,
          }
        : undefined;
    case "agent-state":
      return str(m.state) && AGENT_STATES.includes(m.state)
        ? { type: "state", state: m.state as AgentState, atMs: optNum(m.atMs) ?? 0 }
        : undefined;
    case "user-speech":
      return typeof m.speaking === "boolean"
        ? { type: "user-speech", speaking: m.speaking, atMs: optNum(m.atMs) ?? 0 }
        : undefined;
    case "transcript": {
      if ((m.role !== "user" && m.role !== "agent") || !str(m.text) || typeof m.final !== "boolean")
        return undefined;
      const event: VoiceEvent = {
        type: "transcript",
        role: m.role,
        final: m.final,
        text: m.text,
        startMs: optNum(m.startMs) ?? 0,
      };
      if (num(m.endMs)) event.endMs = m.endMs;
      return event;
    }
    case "clear":
      return { type: "clear", atMs: optNum(m.atMs) ?? 0 };
    case "interrupted":
      return {
        type: "interrupted",
        heardText: str(m.heardText) ? m.heardText : "",
        generatedText: str(m.generatedText) ? m.generatedText : "",
        atMs: optNum(m.atMs) ?? 0,
      };
    case "resumed":
      return { type: "resumed", atMs: optNum(m.atMs) ?? 0 };
    case "metrics":
      return toMetrics(m.metrics);
    case "handoff":
      return str(m.from) && str(m.to) ? { type: "handoff", from: m.from, to: m.to } : undefined;
    case "needs-human":
      return { type: "needs-human", detail: str(m.detail) ? m.detail : "" };
    case "error":
      return {
        type: "error",
        code: str(m.code) ? m.code : "voice-error",
        message: str(m.message) ? m.message : "The voice call failed.",
      };
    case "ended":
      return { type: "ended", reason: str(m.reason) ? m.reason : "closed", atMs: optNum(m.atMs) };
    default:
      return undefined;
  }
}

const METRIC_FIELDS = [
  "responseLatencyMs",
  "endpointingMs",
  "sttFinalMs",
  "llmFirstTokenMs",
  "firstSentenceMs",
  "ttsFirstByteMs",
  "firstFrameMs",
  "bargeInReactionMs",
  "bargeInDetectionMs",
] as const;

function toMetrics(value: unknown): VoiceEvent | undefined {
  if (!value || typeof value !== "object") return undefined;
  const raw = value as Json;
  if (!num(raw.turn)) return undefined;
  const metrics: VoiceTurnMetrics = {
    turn: raw.turn,
    kind: str(raw.kind) ? raw.kind : "reply",
    interrupted: raw.interrupted === true,
  };
  for (const field of METRIC_FIELDS) {
    const ms = raw[field];
    if (num(ms)) metrics[field] = ms;
  }
  return { type: "metrics", metrics };
}
