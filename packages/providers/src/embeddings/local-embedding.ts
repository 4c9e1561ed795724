import path from "node:path";
import { abortError, errorMessage, isAbortError, ProviderError } from "@oratio/core";
import type { EmbeddingModel, EmbedOptions } from "@oratio/core/embeddings";
import type { LlamaEmbeddingContext } from "node-llama-cpp";
import { loadLlamaModel } from "../local/llama-runtime.ts";
import { resolveModelsDir } from "../model-store/models-dir.ts";

export interface LocalEmbeddingOptions {
  /** A GGUF file: absolute, or relative to the model store (e.g. `embeddings/bge-small.gguf`). */
  model: string;
  modelsDir?: string;
  /** Threads for evaluation; default 1 (see LocalModelOptions.threads). */
  threads?: number;
  /** Longest input in tokens; longer texts are cut. Default 512, capped at the model's training size. */
  contextSize?: number;
}

const PROVIDER = "local";

interface SharedContext {
  context: LlamaEmbeddingContext;
  contextSize: number;
  /** Evaluations run one at a time on a context. */
  queue: Promise<unknown>;
}

// One embedding context per model file and settings: creating it allocates the KV cache,
// and searches embed one short query each, so it is kept for the life of the process.
const contexts = new Map<string, Promise<SharedContext>>();

/**
 * Embeddings from a GGUF model run in-process by llama.cpp (node-llama-cpp's
 * LlamaEmbeddingContext). Nothing leaves the machine.
 */
export class LocalEmbeddingModel implements EmbeddingModel {
  readonly specificationVersion = "v1";
  readonly id: string;
  readonly maxBatchSize = 16;
  readonly #options: LocalEmbeddingOptions;
  #dimensions = 0;

  constructor(options: LocalEmbeddingOptions) {
    this.#options = options;
    this.id = `${PROVIDER}:${options.model}`;
  }

  get modelPath(): string {
    return path.resolve(resolveModelsDir(this.#options.modelsDir), this.#options.model);
  }

  /** 0 until the model file has been loaded (on the first `embed`). */
  get dimensions(): number {
    return this.#dimensions;
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<number[][]> {
    const { signal } = options;
    if (signal?.aborted) throw abortError(signal);
    if (texts.length === 0) return [];
    const shared = await this.#context();
    const run = shared.queue.then(async () => {
      const vectors: number[][] = [];
      const model = shared.context.model;
      for (const text of texts) {
        if (signal?.aborted) throw abortError(signal);
        // Chunks are sized for retrieval, not for every model's window: cut what does not fit.
        const tokens = model.tokenize(text).slice(0, shared.contextSize - 2);
        const embedding = await shared.context.getEmbeddingFor(tokens);
        vectors.push([...embedding.vector]);
      }
      return vectors;
    });
    shared.queue = run.catch(() => {});
    try {
      return await run;
    } catch (error) {
      if (signal?.aborted || isAbortError(error)) throw abortError(signal);
      throw new ProviderError(PROVIDER, `${this.#options.model}: ${errorMessage(error)}`, {
        upstreamStatus: 500,
        cause: error,
      });
    }
  }

  async #context(): Promise<SharedContext> {
    const threads = this.#options.threads ?? 1;
    const wanted = this.#options.contextSize ?? 512;
    const key = `${this.modelPath}|${threads}|${wanted}`;
    let shared = contexts.get(key);
    // Unloading the model (unloadLlamaModels) disposes its contexts with it.
    if (shared && (await shared.catch(() => undefined))?.context.disposed) shared = undefined;
    if (!shared) {
      shared = (async () => {
        const model = await loadLlamaModel(this.modelPath);
        const contextSize = Math.min(wanted, model.trainContextSize);
        const context = await model.createEmbeddingContext({ contextSize, threads });
        return { context, contextSize, queue: Promise.resolve() };
      })();
      contexts.set(key, shared);
      shared.catch(() => contexts.delete(key));
    }
    try {
      const ready = await shared;
      this.#dimensions = ready.context.model.embeddingVectorSize;
      return ready;
    } catch (error) {
      // A missing or unreadable file will not fix itself on a retry.
      throw new ProviderError(PROVIDER, `Cannot load ${this.modelPath}: ${errorMessage(error)}`, {
        upstreamStatus: 422,
        cause: error,
      });
    }
  }
}

/** Frees every embedding context (tests, shutdown); models stay loaded for other users. */
export async function disposeLocalEmbeddingContexts(): Promise<void> {
  const all = [...contexts.values()];
  contexts.clear();
  for (const shared of all) await (await shared.catch(() => undefined))?.context.dispose();
}
