export { type App, createApp } from "./app.ts";
export type { AppDeps } from "./context.ts";
export { type Config, loadConfig } from "./env.ts";
export { startServer } from "./server.ts";
