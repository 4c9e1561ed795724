export * from "./agent/index.ts";
export * from "./errors.ts";
export * from "./llm/index.ts";
