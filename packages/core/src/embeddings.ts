import { ProviderError } from "./errors.ts";

/**
 * Embedding provider contract, version 1. Embeddings are optional: knowledge search works
 * with full-text ranking alone, and adds vector ranking when an operator configures a model.
 * Adapters (OpenAI-compatible, local) live in @oratio/providers and implement this.
 */
export interface EmbeddingModel {
  readonly specificationVersion: "v1";
  /** Stable identifier stored next to each vector, e.g. `openai:text-embedding-3-small`. */
  readonly id: string;
  /**
   * Length of every returned vector. Adapters whose model size is not known in advance (an
   * OpenAI-compatible server, a GGUF file not yet loaded) report 0 until their first answer.
   */
  readonly dimensions: number;
  /** Largest number of texts one `embed` call accepts; callers batch above it. */
  readonly maxBatchSize: number;
  /**
   * One vector per input text, in input order. Rejects with an OratioError (ProviderError for
   * upstream failures, with `retryable` set) and honours `signal`.
   */
  embed(texts: string[], options?: EmbedOptions): Promise<number[][]>;
}

export interface EmbedOptions {
  signal?: AbortSignal;
  /** Some models embed queries and passages differently. Default `document`. */
  purpose?: "query" | "document";
}

/**
 * Embeds any number of texts in batches of `model.maxBatchSize`, checking that each answer
 * has the promised shape so a misbehaving provider cannot store broken vectors.
 */
export async function embedAll(
  model: EmbeddingModel,
  texts: string[],
  options: EmbedOptions = {},
): Promise<number[][]> {
  const batchSize = Math.max(1, model.maxBatchSize);
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    options.signal?.throwIfAborted();
    const batch = texts.slice(start, start + batchSize);
    const answer = await model.embed(batch, options);
    if (answer.length !== batch.length) {
      throw new ProviderError(model.id, `returned ${answer.length} vectors for ${batch.length} texts.`);
    }
    for (const vector of answer) {
      if (vector.length !== model.dimensions) {
        throw new ProviderError(
          model.id,
          `returned a vector of ${vector.length} dimensions, expected ${model.dimensions}.`,
        );
      }
      vectors.push(vector);
    }
  }
  return vectors;
}

/** Cosine similarity of two equal-length vectors; 0 when either is all zeros. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError("Vectors must have the same length.");
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
