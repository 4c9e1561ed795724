export * from "./accounts.ts";
export * from "./agents.ts";
export * from "./jobs.ts";
export * from "./knowledge.ts";
export * from "./sessions.ts";
