export { AiSdkEmbeddingModel, type AiSdkEmbeddingOptions } from "./ai-sdk-embedding.ts";
export { createEmbeddingModel, EMBEDDING_PROVIDER_TYPES, type EmbeddingModelConfig } from "./factory.ts";
export {
  disposeLocalEmbeddingContexts,
  LocalEmbeddingModel,
  type LocalEmbeddingOptions,
} from "./local-embedding.ts";
