import type { LanguageModelV3, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import {
  abortError,
  errorMessage,
  type FinishReason,
  isAbortError,
  type LanguageModel,
  type ModelRequest,
  type ModelStreamPart,
  ProviderError,
  type StreamOptions,
} from "@oratio/core";
import { toCallOptions } from "./prompt.ts";

/**
 * Adapts any AI SDK provider model (LanguageModelV3) to the core contract. Calls `doStream`
 * directly: one request per call, no SDK-side retries, so fallbacks and cancellation stay
 * under the run loop's control.
 */
export class AiSdkLanguageModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly #model: LanguageModelV3;

  constructor(provider: string, model: LanguageModelV3) {
    this.provider = provider;
    this.modelId = model.modelId;
    this.#model = model;
  }

  async *stream(request: ModelRequest, options: StreamOptions = {}): AsyncGenerator<ModelStreamPart> {
    const { signal } = options;
    if (signal?.aborted) throw abortError(signal);
    let reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart>;
    try {
      const result = await this.#model.doStream(toCallOptions(request, signal));
      reader = result.stream.getReader();
    } catch (error) {
      throw this.#mapError(error, signal);
    }
    let finished = false;
    try {
      while (true) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (error) {
          throw this.#mapError(error, signal);
        }
        if (next.done) {
          finished = true;
          return;
        }
        const part = next.value;
        switch (part.type) {
          case "text-delta":
            if (part.delta !== "") yield { type: "text-delta", text: part.delta };
            break;
          case "tool-call":
            yield { type: "tool-call", id: part.toolCallId, name: part.toolName, args: part.input };
            break;
          case "finish":
            yield {
              type: "finish",
              reason: part.finishReason.unified as FinishReason,
              usage: {
                inputTokens: part.usage.inputTokens.total ?? 0,
                outputTokens: part.usage.outputTokens.total ?? 0,
              },
            };
            break;
          case "error":
            throw this.#mapError(part.error, signal);
          default:
            break; // reasoning, sources, metadata: not part of the core contract
        }
      }
    } finally {
      // Stopped early (cancelled turn, error part): close the HTTP stream instead of leaking it.
      if (!finished) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }

  #mapError(error: unknown, signal: AbortSignal | undefined): Error {
    if (signal?.aborted || isAbortError(error)) return abortError(signal);
    if (error instanceof ProviderError) return error;
    const status = (error as { statusCode?: unknown }).statusCode;
    return new ProviderError(this.provider, `${this.modelId}: ${describe(error)}`, {
      upstreamStatus: typeof status === "number" ? status : undefined,
      cause: error,
    });
  }
}

function describe(error: unknown): string {
  const body = (error as { responseBody?: unknown }).responseBody;
  const message = errorMessage(error);
  return typeof body === "string" && body !== "" && !message.includes(body)
    ? `${message} (${body.slice(0, 300)})`
    : message;
}
