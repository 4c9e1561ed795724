import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { abortError, errorMessage, isAbortError, isOratioError, ProviderError } from "@oratio/core";
import type { EmbeddingModel, EmbedOptions } from "@oratio/core/embeddings";

export interface AiSdkEmbeddingOptions {
  /** Texts per request; default 64, which keeps requests well under vendors' token caps. */
  maxBatchSize?: number;
  /** Vector length, when the model's is known in advance; otherwise learnt from the first answer. */
  dimensions?: number;
  /** Passed to the provider (e.g. `{openai: {dimensions: 512}}` to shorten vectors). */
  providerOptions?: Record<string, Record<string, string | number | boolean>>;
}

/**
 * Adapts an AI SDK embedding model (OpenAI, any OpenAI-compatible server) to the core
 * contract. One `embed` call is one `doEmbed` request: no SDK-side retries, so the job
 * queue's backoff decides when to try again.
 */
export class AiSdkEmbeddingModel implements EmbeddingModel {
  readonly specificationVersion = "v1";
  readonly id: string;
  readonly maxBatchSize: number;
  readonly #provider: string;
  readonly #model: EmbeddingModelV3;
  readonly #providerOptions: AiSdkEmbeddingOptions["providerOptions"];
  #dimensions: number;

  constructor(provider: string, model: EmbeddingModelV3, options: AiSdkEmbeddingOptions = {}) {
    this.#provider = provider;
    this.#model = model;
    this.id = `${provider}:${model.modelId}`;
    this.maxBatchSize = options.maxBatchSize ?? 64;
    this.#dimensions = options.dimensions ?? 0;
    this.#providerOptions = options.providerOptions;
  }

  /** 0 until the first answer when the size was not given. */
  get dimensions(): number {
    return this.#dimensions;
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<number[][]> {
    const { signal } = options;
    if (signal?.aborted) throw abortError(signal);
    if (texts.length === 0) return [];
    let embeddings: number[][];
    try {
      const result = await this.#model.doEmbed({
        values: texts,
        abortSignal: signal,
        ...(this.#providerOptions ? { providerOptions: this.#providerOptions } : {}),
      });
      embeddings = result.embeddings;
    } catch (error) {
      throw this.#mapError(error, signal);
    }
    return this.#checked(embeddings, texts.length);
  }

  /** A provider that answers 200 with the wrong shape is not retried: it would answer the same. */
  #checked(embeddings: unknown, count: number): number[][] {
    const malformed = (why: string) =>
      new ProviderError(this.#provider, `${this.#model.modelId}: ${why}`, { upstreamStatus: 200 });
    if (!Array.isArray(embeddings) || embeddings.length !== count) {
      throw malformed(
        `answered ${Array.isArray(embeddings) ? embeddings.length : 0} vectors for ${count} texts.`,
      );
    }
    const size = this.#dimensions || (embeddings[0] as unknown[] | undefined)?.length || 0;
    for (const vector of embeddings as unknown[]) {
      if (!Array.isArray(vector) || vector.length !== size || size === 0) {
        throw malformed(
          `answered a vector of ${Array.isArray(vector) ? vector.length : 0} numbers, expected ${size}.`,
        );
      }
      if (!vector.every((x) => typeof x === "number" && Number.isFinite(x))) {
        throw malformed("answered a vector that is not all finite numbers.");
      }
    }
    this.#dimensions = size;
    return embeddings as number[][];
  }

  #mapError(error: unknown, signal: AbortSignal | undefined): Error {
    if (signal?.aborted || isAbortError(error)) return abortError(signal);
    if (error instanceof ProviderError) return error;
    // The outbound guard refusing the base URL is the operator's configuration, not a
    // transient fault: report its reason and do not retry.
    const cause = (error as { cause?: unknown }).cause;
    if (isOratioError(cause) && !cause.retryable) {
      return new ProviderError(this.#provider, `${this.#model.modelId}: ${cause.detail}`, {
        upstreamStatus: cause.status,
        cause: error,
      });
    }
    const status = (error as { statusCode?: unknown }).statusCode;
    const body = (error as { responseBody?: unknown }).responseBody;
    const message = errorMessage(error);
    const detail =
      typeof body === "string" && body !== "" && !message.includes(body)
        ? `${message} (${body.slice(0, 300)})`
        : message;
    return new ProviderError(this.#provider, `${this.#model.modelId}: ${detail}`, {
      upstreamStatus: typeof status === "number" ? status : undefined,
      cause: error,
    });
  }
}
