import type { JsonSchema } from "../llm/types.ts";
import type { Tool } from "./tool.ts";

/** How much of the conversation the receiving agent sees after a handoff. */
export type HandoffContextPolicy = "full" | "summary" | "none";

export interface HandoffSpec {
  /** Slug of the receiving agent. */
  to: string;
  /** When the model should transfer; becomes the handoff tool's description. */
  description?: string;
  context?: HandoffContextPolicy;
}

export interface ModelSettings {
  /** Reference resolved by the caller's ModelResolver, e.g. `openai:gpt-4o-mini` or `local:qwen.gguf`. */
  model: string;
  /** Tried in order when the previous model errors or times out before its first output. */
  fallbacks?: string[];
  temperature?: number;
  maxTokens?: number;
  /** Time budget for the first streamed part of each model call. */
  firstTokenTimeoutMs?: number;
}

export interface HumanHandoffRules {
  /** Case-insensitive phrases in a caller message that ask for a human at once. */
  keywords?: string[];
  /** Ask for a human after the caller has asked for one this many times (default: off). */
  askThreshold?: number;
  /** Ask for a human after this many consecutive failed tool calls (default: off). */
  maxConsecutiveToolFailures?: number;
}

export interface VoiceSettings {
  /** Engine-specific voice id, e.g. a Piper voice or an ElevenLabs voice id. */
  voice?: string;
  language?: string;
  speakingRate?: number;
  [key: string]: unknown;
}

export interface ToolRateLimit {
  maxCalls: number;
  windowMs: number;
}

export interface AgentLimits {
  /** Tool calls allowed over the whole session, all tools together. */
  maxToolCallsPerSession?: number;
  /** Per-tool limits over a sliding window, keyed by tool name. */
  toolRateLimits?: Record<string, ToolRateLimit>;
  /** Model calls allowed in one turn (a model call per tool round). Default 8. */
  maxStepsPerTurn?: number;
}

export interface KnowledgeSettings {
  /** Knowledge bases the `search_knowledge` tool may read. Empty or absent: tool not offered. */
  knowledgeBaseIds: string[];
  topK?: number;
}

export interface AgentDefinition {
  name: string;
  /** Unique within the directory of agents a session can reach; used by handoff tool names. */
  slug: string;
  instructions: string;
  /** First line of a new session. */
  greeting?: string;
  /** Line spoken when this agent receives a handoff; it then waits for the caller. */
  onEnter?: string;
  model: ModelSettings;
  tools?: Tool[];
  handoffs?: HandoffSpec[];
  knowledge?: KnowledgeSettings;
  /** Offer the `request_human` tool (default true). */
  allowHumanHandoff?: boolean;
  /** Offer the `end_session` tool (default true). */
  allowEndSession?: boolean;
  humanHandoff?: HumanHandoffRules;
  voice?: VoiceSettings;
  limits?: AgentLimits;
  /** Structured output for every reply of this agent (e.g. for form-filling agents). */
  responseSchema?: JsonSchema;
}

/** The agents one session can reach, keyed by slug. */
export type AgentDirectory = ReadonlyMap<string, AgentDefinition> | Readonly<Record<string, AgentDefinition>>;

export function findAgent(directory: AgentDirectory, slug: string): AgentDefinition | undefined {
  if (directory instanceof Map) return directory.get(slug);
  return Object.hasOwn(directory, slug) ? (directory as Record<string, AgentDefinition>)[slug] : undefined;
}
