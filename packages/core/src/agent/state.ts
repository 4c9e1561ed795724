import type { ChatMessage } from "../llm/types.ts";
import type { AgentDefinition, HandoffContextPolicy } from "./types.ts";

/** A transcript entry: a model-facing message plus who said it and when. */
export type ConversationMessage = ChatMessage & {
  id: string;
  /** Epoch milliseconds. */
  at: number;
  /** Slug of the agent that produced an assistant or tool message. */
  agent?: string;
  /** The reply was cut short by barge-in, a new message or a closed client. */
  interrupted?: boolean;
};

export interface HandoffRecord {
  from: string;
  to: string;
  at: number;
  policy: HandoffContextPolicy;
  reason?: string;
}

/**
 * Everything the run loop needs to continue a session. Plain JSON so that the caller can
 * persist it between turns; the loop never mutates the state it is given.
 */
export interface SessionState {
  id: string;
  activeAgent: string;
  messages: ConversationMessage[];
  /** What the active agent sees: messages from `fromIndex`, after an optional summary. */
  context: { fromIndex: number; summary?: string };
  handoffs: HandoffRecord[];
  turns: number;
  toolCallsUsed: number;
  /** Epoch ms of recent calls per tool, pruned to the longest rate-limit window. */
  toolCallTimes: Record<string, number[]>;
  humanRequests: number;
  consecutiveToolFailures: number;
  needsHuman: boolean;
  ended: boolean;
}

export interface CreateSessionOptions {
  id?: string;
  now?: () => number;
}

/** Starts a session with `agent`; its greeting, if any, becomes the first message. */
export function createSession(agent: AgentDefinition, options: CreateSessionOptions = {}): SessionState {
  const now = options.now ?? Date.now;
  const id = options.id ?? crypto.randomUUID();
  const messages: ConversationMessage[] = [];
  if (agent.greeting) {
    messages.push({
      id: messageId(),
      role: "assistant",
      content: agent.greeting,
      agent: agent.slug,
      at: now(),
    });
  }
  return {
    id,
    activeAgent: agent.slug,
    messages,
    context: { fromIndex: 0 },
    handoffs: [],
    turns: 0,
    toolCallsUsed: 0,
    toolCallTimes: {},
    humanRequests: 0,
    consecutiveToolFailures: 0,
    needsHuman: false,
    ended: false,
  };
}

export function messageId(): string {
  return crypto.randomUUID();
}

/** A working copy for one turn: arrays are copied, messages (never mutated) are shared. */
export function copyState(state: SessionState): SessionState {
  return {
    ...state,
    messages: [...state.messages],
    context: { ...state.context },
    handoffs: [...state.handoffs],
    toolCallTimes: Object.fromEntries(Object.entries(state.toolCallTimes).map(([k, v]) => [k, [...v]])),
  };
}
