#!/usr/bin/env node
// `npm start`: runs the server from its TypeScript sources in this one process.
import { register } from "tsx/esm/api";

register();
await import("../packages/server/src/main.ts");
