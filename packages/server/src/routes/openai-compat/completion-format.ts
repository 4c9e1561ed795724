import type { TurnSummary } from "../../conversation/conversation-service.ts";

export type FinishReason = "stop" | "length";

/** A turn cut short by its step budget reads to OpenAI clients as a length stop. */
export function finishReason(turnReason: string): FinishReason {
  return turnReason === "max-steps" ? "length" : "stop";
}

export function usageOf(summary: Pick<TurnSummary, "usage">) {
  const { inputTokens, outputTokens } = summary.usage;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
  };
}

/** Identity shared by every chunk of one completion. */
export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

export function completionMeta(model: string): CompletionMeta {
  return {
    id: `chatcmpl-${crypto.randomUUID().replaceAll("-", "")}`,
    created: Math.floor(Date.now() / 1000),
    model,
  };
}

export function completion(meta: CompletionMeta, summary: TurnSummary) {
  return {
    ...meta,
    object: "chat.completion" as const,
    choices: [
      {
        index: 0,
        message: { role: "assistant" as const, content: summary.text, refusal: null },
        logprobs: null,
        finish_reason: finishReason(summary.reason),
      },
    ],
    usage: usageOf(summary),
  };
}

type Delta = { role?: "assistant"; content?: string };

export function chunk(
  meta: CompletionMeta,
  delta: Delta,
  finish: FinishReason | null,
  withUsageField: boolean,
): Record<string, unknown> {
  return {
    ...meta,
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    // With include_usage, OpenAI sends `usage: null` on every chunk but the last.
    ...(withUsageField ? { usage: null } : {}),
  };
}

export function usageChunk(meta: CompletionMeta, summary: TurnSummary): Record<string, unknown> {
  return { ...meta, object: "chat.completion.chunk", choices: [], usage: usageOf(summary) };
}
