import type { TurnEvent } from "@oratio/core";
import type { NewEntry } from "./session-store.ts";

/** Events clients receive over SSE/WebSocket: the run loop's, minus its internal bookkeeping. */
export type ClientEvent =
  | Exclude<TurnEvent, { type: "message" } | { type: "turn-start" } | { type: "turn-end" }>
  | { type: "turn-end"; [key: string]: unknown }
  | { type: "operator-message"; text: string; at: number }
  | { type: "user-message"; text: string; at: number };

const MAX_STORED_RESULT = 8000;

/**
 * How a run-loop event is kept in the transcript, or undefined for events that are only
 * streamed (text deltas) or stored elsewhere (the user message is written before the turn).
 */
export function entryFor(event: TurnEvent, turnId: string): NewEntry | undefined {
  switch (event.type) {
    case "message": {
      const m = event.message;
      if (m.role !== "assistant" || !m.content) return undefined;
      return {
        kind: "message",
        role: "assistant",
        agent: m.agent ?? null,
        text: m.content,
        data: { messageId: m.id, interrupted: m.interrupted ?? false },
        turnId,
      };
    }
    case "tool-call":
      return {
        kind: "tool_call",
        agent: event.agent,
        data: { toolCallId: event.toolCallId, name: event.name, args: event.args },
        turnId,
      };
    case "tool-result":
      return {
        kind: "tool_result",
        agent: event.agent,
        data: {
          toolCallId: event.toolCallId,
          name: event.name,
          result:
            event.result.length > MAX_STORED_RESULT
              ? `${event.result.slice(0, MAX_STORED_RESULT)}…`
              : event.result,
          isError: event.isError,
          durationMs: event.durationMs,
        },
        turnId,
      };
    case "citation":
      return {
        kind: "citation",
        agent: event.agent,
        data: { toolCallId: event.toolCallId, ...event.citation },
        turnId,
      };
    case "handoff":
      return {
        kind: "handoff",
        agent: event.from,
        text: `Handed off from ${event.from} to ${event.to}`,
        data: {
          from: event.from,
          to: event.to,
          policy: event.policy,
          reason: event.reason ?? null,
          at: event.at,
        },
        turnId,
      };
    case "handoff-refused":
    case "needs-human":
    case "session-end":
    case "fallback":
    case "error": {
      const { type, ...rest } = event;
      return {
        kind: "event",
        agent: "agent" in event ? event.agent : event.from,
        data: { type, ...rest },
        turnId,
      };
    }
    default:
      return undefined;
  }
}
