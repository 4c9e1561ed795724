import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { ValidationError } from "@oratio/core";
import type { EmbeddingModel } from "@oratio/core/embeddings";
import { AiSdkEmbeddingModel } from "./ai-sdk-embedding.ts";
import { LocalEmbeddingModel, type LocalEmbeddingOptions } from "./local-embedding.ts";

interface CommonConfig {
  /** Provider-side model name, e.g. `text-embedding-3-small`, `nomic-embed-text`. */
  model: string;
  headers?: Record<string, string>;
  /** Injected for the outbound guard, tests and proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
  maxBatchSize?: number;
}

export type EmbeddingModelConfig =
  | (CommonConfig & {
      type: "openai";
      apiKey?: string;
      baseUrl?: string;
      /** Shorter vectors from models that support it (text-embedding-3-*). */
      dimensions?: number;
    })
  | (CommonConfig & {
      /** Ollama, vLLM, LM Studio, llama.cpp server, TEI… anything answering `POST /embeddings`. */
      type: "openai-compatible";
      baseUrl: string;
      apiKey?: string;
      name?: string;
    })
  | ({ type: "local" } & LocalEmbeddingOptions);

/** Provider types that can make embeddings. */
export const EMBEDDING_PROVIDER_TYPES = ["openai", "openai-compatible", "local"] as const;

/** Builds a core EmbeddingModel from a stored provider configuration; nothing connects until `embed`. */
export function createEmbeddingModel(config: EmbeddingModelConfig): EmbeddingModel {
  switch (config.type) {
    case "openai": {
      const provider = createOpenAI({
        apiKey: config.apiKey,
        baseURL: config.baseUrl,
        headers: config.headers,
        fetch: config.fetch,
      });
      return new AiSdkEmbeddingModel("openai", provider.embedding(config.model), {
        maxBatchSize: config.maxBatchSize,
        ...(config.dimensions
          ? { dimensions: config.dimensions, providerOptions: { openai: { dimensions: config.dimensions } } }
          : {}),
      });
    }
    case "openai-compatible": {
      const name = config.name ?? hostOf(config.baseUrl);
      const provider = createOpenAICompatible({
        name,
        baseURL: config.baseUrl,
        apiKey: config.apiKey,
        headers: config.headers,
        fetch: config.fetch,
      });
      return new AiSdkEmbeddingModel(name, provider.embeddingModel(config.model), {
        maxBatchSize: config.maxBatchSize,
      });
    }
    case "local":
      return new LocalEmbeddingModel(config);
    default:
      throw new ValidationError(
        `Provider type "${(config as { type: unknown }).type}" does not offer embeddings here.`,
        [{ path: "type", message: `must be one of ${EMBEDDING_PROVIDER_TYPES.join(", ")}` }],
      );
  }
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    throw new ValidationError(`"${baseUrl}" is not a valid base URL.`, [
      { path: "baseUrl", message: "must be a URL" },
    ]);
  }
}
