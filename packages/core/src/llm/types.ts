/**
 * The language-model contract every provider adapter implements. Deliberately small (one
 * streaming call, three part types) so that adapters stay thin and the run loop can treat
 * a cloud API, a local GGUF model and a scripted test model the same way.
 */

/** A JSON Schema (draft 2020-12 subset) describing tool parameters or structured output. */
export type JsonSchema = Record<string, unknown>;

export interface ToolCallPart {
  /** Provider-assigned id, echoed back in the tool result message. */
  id: string;
  name: string;
  /** Arguments as the model produced them: a JSON text, not yet parsed or validated. */
  args: string;
}

export type ChatMessage =
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCallPart[] }
  | { role: "tool"; toolCallId: string; toolName: string; content: string; isError?: boolean };

export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export type ResponseFormat = { type: "text" } | { type: "json"; schema?: JsonSchema; name?: string };

export interface ModelRequest {
  system?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  toolChoice?: "auto" | "none" | "required";
  temperature?: number;
  maxTokens?: number;
  responseFormat?: ResponseFormat;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type FinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "error" | "other";

export type ModelStreamPart =
  | { type: "text-delta"; text: string }
  | ({ type: "tool-call" } & ToolCallPart)
  | { type: "finish"; reason: FinishReason; usage: Usage };

export interface StreamOptions {
  signal?: AbortSignal;
}

export interface LanguageModel {
  /** Provider family, e.g. `openai`, `anthropic`, `local`, `scripted`. */
  readonly provider: string;
  readonly modelId: string;
  /**
   * Streams one model response. Must stop promptly and throw an abort error when `signal`
   * aborts; must throw (not yield) on failure so that fallbacks can take over.
   */
  stream(request: ModelRequest, options?: StreamOptions): AsyncIterable<ModelStreamPart>;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0 };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}
