#!/usr/bin/env node
// The package ships TypeScript source; tsx compiles it on the fly.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
// The first Ctrl-C asks the command to stop cleanly (a pull removes its temp file); a
// second one falls back to Node's default and ends the process at once.
const interrupt = new AbortController();
process.once("SIGINT", () => interrupt.abort());
process.exitCode = await main(process.argv.slice(2), process.env, undefined, { signal: interrupt.signal });
