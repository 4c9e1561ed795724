export * from "./accounts.ts";
export * from "./agents.ts";
export * from "./builder.ts";
export * from "./jobs.ts";
export * from "./knowledge.ts";
export * from "./knowledge-terms.ts";
export * from "./sessions.ts";
export * from "./telephony.ts";
