import { abortError, sleep } from "../llm/abort.ts";
import type {
  FinishReason,
  LanguageModel,
  ModelRequest,
  ModelStreamPart,
  StreamOptions,
  Usage,
} from "../llm/types.ts";

export interface ScriptedToolCall {
  name: string;
  /** Object arguments are JSON-encoded; a string is passed through as the raw model output. */
  args?: Record<string, unknown> | string;
  id?: string;
}

/** One scripted model response. */
export interface ScriptStep {
  /** Text to stream; an array streams one delta per element. */
  text?: string | string[];
  toolCalls?: ScriptedToolCall[];
  /** Thrown before any output (or after `text` when `errorAfterText` is set). */
  error?: Error;
  errorAfterText?: boolean;
  /** Wait before the first part; honours abort. */
  delayMs?: number;
  /** Wait between text deltas; honours abort. */
  chunkDelayMs?: number;
  /** Never answer: wait until aborted (to exercise timeouts and cancellation). */
  hang?: boolean;
  usage?: Usage;
  finishReason?: FinishReason;
  /** Checks on the request this step answers; throw (e.g. expect()) to fail the test. */
  expectRequest?: (request: ModelRequest) => void;
}

export interface ScriptedModelOptions {
  provider?: string;
  modelId?: string;
  steps?: ScriptStep[];
}

/**
 * A LanguageModel that plays back a queue of responses and records every request, for
 * conversation tests. Call `assertDone()` at the end so left-over steps fail the test.
 */
export class ScriptedModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly requests: ModelRequest[] = [];
  readonly #queue: ScriptStep[];

  constructor(options: ScriptedModelOptions = {}) {
    this.provider = options.provider ?? "scripted";
    this.modelId = options.modelId ?? "scripted-model";
    this.#queue = [...(options.steps ?? [])];
  }

  push(...steps: ScriptStep[]): this {
    this.#queue.push(...steps);
    return this;
  }

  get remaining(): number {
    return this.#queue.length;
  }

  assertDone(): void {
    if (this.#queue.length > 0) {
      throw new Error(`${this.modelId}: ${this.#queue.length} scripted step(s) were never used.`);
    }
  }

  async *stream(request: ModelRequest, options: StreamOptions = {}): AsyncGenerator<ModelStreamPart> {
    const { signal } = options;
    // Recorded before anything else so tests can inspect even failed or aborted calls.
    this.requests.push(structuredClone(request));
    const step = this.#queue.shift();
    if (!step) throw new Error(`${this.modelId}: no scripted step left for call #${this.requests.length}.`);
    step.expectRequest?.(request);
    if (signal?.aborted) throw abortError(signal);
    if (step.hang) {
      await new Promise<never>((_, reject) => {
        signal?.addEventListener("abort", () => reject(abortError(signal)), { once: true });
      });
    }
    if (step.delayMs) await sleep(step.delayMs, signal);
    if (step.error && !step.errorAfterText) throw step.error;
    const chunks = step.text === undefined ? [] : Array.isArray(step.text) ? step.text : [step.text];
    let outputChars = 0;
    for (let i = 0; i < chunks.length; i++) {
      if (i > 0 && step.chunkDelayMs) await sleep(step.chunkDelayMs, signal);
      if (signal?.aborted) throw abortError(signal);
      outputChars += chunks[i]!.length;
      yield { type: "text-delta", text: chunks[i]! };
    }
    if (step.error) throw step.error;
    const calls = step.toolCalls ?? [];
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i]!;
      const args = typeof call.args === "string" ? call.args : JSON.stringify(call.args ?? {});
      yield { type: "tool-call", id: call.id ?? `call_${this.requests.length}_${i}`, name: call.name, args };
    }
    yield {
      type: "finish",
      reason: step.finishReason ?? (calls.length > 0 ? "tool-calls" : "stop"),
      usage: step.usage ?? { inputTokens: estimateTokens(request), outputTokens: Math.ceil(outputChars / 4) },
    };
  }
}

function estimateTokens(request: ModelRequest): number {
  let chars = request.system?.length ?? 0;
  for (const m of request.messages) chars += m.content.length;
  return Math.ceil(chars / 4);
}
