export * from "./database.ts";
export * from "./prepared.ts";
export * from "./schema/index.ts";
export * from "./scope.ts";
