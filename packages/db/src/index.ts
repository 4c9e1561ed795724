export * from "./database.ts";
export * from "./schema/index.ts";
export * from "./scope.ts";
