import { setTimeout as sleep } from "node:timers/promises";
import { ApiClient, ApiError } from "./api-client.ts";
import { modelsCommand } from "./commands/models.ts";
import { testCommand } from "./commands/test.ts";
import type { Io } from "./io.ts";

export const USAGE = `Usage: oratio <command> [options]

Commands:
  test AGENT     run an agent's test suite and print a pass/fail table
  models         list, browse and pull models of the local model store (oratio models --help)

Environment:
  ORATIO_URL              the server, e.g. http://localhost:3000 (test)
  ORATIO_API_KEY          an API key (ora_…) of the organization (test)
  ORATIO_MODELS_DIR       the model store folder (models)
  ORATIO_MODEL_CATALOGUE  an extra model catalogue, a JSON file or URL (models)
  ORATIO_FETCH_ALLOW      private or local hosts downloads may reach (models)`;

const defaultIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
  errTty: process.stderr.isTTY
    ? {
        write: (text) => process.stderr.write(text),
        get columns() {
          return process.stderr.columns || 80;
        },
      }
    : undefined,
};

/** Runs one command; returns the process exit code (0 ok, 1 failed tests or error, 2 usage, 130 interrupted). */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: Io = defaultIo,
  options: { fetch?: typeof globalThis.fetch; signal?: AbortSignal } = {},
): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  try {
    if (command === "models") return await modelsCommand(rest, env, io, options.signal);
    if (command !== "test") {
      io.err(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
    }
    const baseUrl = env.ORATIO_URL;
    const apiKey = env.ORATIO_API_KEY;
    if (!baseUrl || !apiKey) {
      io.err("Set ORATIO_URL (the server) and ORATIO_API_KEY (an API key) first.");
      return 2;
    }
    const api = new ApiClient({ baseUrl, apiKey, fetch: options.fetch });
    return await testCommand(api, rest, io, options.signal);
  } catch (error) {
    if (error instanceof ApiError) {
      io.err(error.message);
      return 1;
    }
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      io.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
