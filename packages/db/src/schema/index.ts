export * from "./accounts.ts";
export * from "./jobs.ts";
