export * from "./ai-sdk/ai-sdk-model.ts";
export * from "./embeddings/index.ts";
export * from "./factory.ts";
export * from "./local/llama-runtime.ts";
export { LocalLlamaModel, type LocalModelOptions, transcriptPrompt } from "./local/local-model.ts";
export * from "./model-store/index.ts";
export * from "./speech/index.ts";
