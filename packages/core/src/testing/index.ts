export * from "./helpers.ts";
export * from "./in-memory-retriever.ts";
export * from "./scripted-model.ts";
