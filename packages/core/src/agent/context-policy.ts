import type { ChatMessage } from "../llm/types.ts";
import type { ConversationMessage, SessionState } from "./state.ts";

/** Produces the text a receiving agent gets under the `summary` handoff policy. */
export type Summarizer = (messages: readonly ConversationMessage[], signal?: AbortSignal) => Promise<string>;

/**
 * Default summary: the recent caller and agent lines, trimmed. Extractive rather than a model
 * call so that a handoff adds no latency and no cost; inject a model-backed Summarizer to change it.
 */
export const extractiveSummary: Summarizer = async (messages) => {
  const lines = messages
    .filter((m) => (m.role === "user" || m.role === "assistant") && m.content.trim() !== "")
    .slice(-8)
    .map(
      (m) => `${m.role === "user" ? "Caller" : `Agent${m.agent ? ` (${m.agent})` : ""}`}: ${clip(m.content)}`,
    );
  return lines.length > 0 ? lines.join("\n") : "(no earlier conversation)";
};

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 240 ? `${flat.slice(0, 237)}...` : flat;
}

/**
 * The messages the active agent's model sees. Tool traffic from other agents is dropped
 * (their tools are not offered to this agent, and some APIs reject unknown tool calls);
 * their spoken text is kept.
 */
export function modelMessages(state: SessionState): ChatMessage[] {
  const out: ChatMessage[] = [];
  const active = state.activeAgent;
  for (let i = state.context.fromIndex; i < state.messages.length; i++) {
    const m = state.messages[i]!;
    if (m.role === "user") out.push({ role: "user", content: m.content });
    else if (m.role === "assistant") {
      const own = m.agent === undefined || m.agent === active;
      if (own && m.toolCalls && m.toolCalls.length > 0) {
        out.push({ role: "assistant", content: m.content, toolCalls: m.toolCalls });
      } else if (m.content !== "") out.push({ role: "assistant", content: m.content });
    } else if (m.agent === undefined || m.agent === active) {
      out.push({
        role: "tool",
        toolCallId: m.toolCallId,
        toolName: m.toolName,
        content: m.content,
        isError: m.isError,
      });
    }
  }
  return out;
}

export function systemPrompt(instructions: string, summary: string | undefined): string {
  if (!summary) return instructions;
  return `${instructions}\n\nYou have just taken over this conversation from a colleague. Summary so far:\n${summary}`;
}

/** Index of the caller's latest message, where a `none`/`summary` view starts. */
export function lastUserIndex(messages: readonly ConversationMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === "user") return i;
  return messages.length;
}
