import type { Usage } from "../llm/types.ts";
import type { Citation } from "./citations.ts";
import type { ConversationMessage, SessionState } from "./state.ts";
import type { HandoffContextPolicy, ModelSettings, VoiceSettings } from "./types.ts";

export type NeedsHumanReason = "tool" | "keyword" | "repeated-request" | "tool-failures";

export type TurnEndReason =
  | "completed"
  | "handoff"
  | "ended"
  | "aborted"
  | "error"
  | "max-steps"
  | "session-ended";

export interface TurnLatency {
  /** Turn start to first text delta (undefined when no text was produced). */
  firstTextMs?: number;
  totalMs: number;
  /** Time spent waiting on model streams. */
  modelMs: number;
  /** Time spent in tool execution (wall clock; parallel calls overlap). */
  toolMs: number;
  /** What the run loop itself added: total minus model and tool time. */
  overheadMs: number;
}

export interface ErrorInfo {
  code: string;
  message: string;
  retryable: boolean;
}

/**
 * Everything the run loop reports. `message` events carry each transcript entry as it is
 * committed, so a caller can persist the conversation without reading loop internals.
 */
export type TurnEvent =
  | { type: "turn-start"; turnId: string; agent: string; at: number }
  | { type: "text-delta"; agent: string; text: string }
  | { type: "tool-call"; agent: string; toolCallId: string; name: string; args: unknown }
  | {
      type: "tool-result";
      agent: string;
      toolCallId: string;
      name: string;
      result: string;
      isError: boolean;
      durationMs: number;
    }
  | { type: "citation"; agent: string; toolCallId: string; citation: Citation }
  | {
      type: "handoff";
      from: string;
      to: string;
      policy: HandoffContextPolicy;
      reason?: string;
      at: number;
      /** The receiving agent's overrides, so voice and model switch with it. */
      voice?: VoiceSettings;
      model: ModelSettings;
    }
  | { type: "handoff-refused"; from: string; to: string; reason: string; at: number }
  | { type: "needs-human"; agent: string; reason: NeedsHumanReason; detail: string; at: number }
  | { type: "session-end"; agent: string; reason: string; at: number }
  | {
      type: "fallback";
      agent: string;
      from: { provider: string; modelId: string };
      to: { provider: string; modelId: string };
      error: ErrorInfo;
      at: number;
    }
  | { type: "message"; message: ConversationMessage }
  | { type: "error"; agent: string; error: ErrorInfo; at: number }
  | {
      type: "turn-end";
      turnId: string;
      agent: string;
      reason: TurnEndReason;
      usage: Usage;
      latency: TurnLatency;
      at: number;
    };

export type TurnEventType = TurnEvent["type"];

export interface TurnResult {
  state: SessionState;
  reason: TurnEndReason;
  usage: Usage;
  latency: TurnLatency;
  /** Text spoken by agents this turn, in order. */
  text: string;
  citations: Citation[];
}
