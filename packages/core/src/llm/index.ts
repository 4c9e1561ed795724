export * from "./abort.ts";
export * from "./fallback.ts";
export * from "./model-errors.ts";
export * from "./types.ts";
