import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DatabaseHandle } from "@oratio/db";
import { openTestDatabase } from "@oratio/db/testing";
import type { DestinationStream } from "pino";
import { createApp } from "./app.ts";
import type { AppDeps } from "./context.ts";
import { type Config, loadConfig } from "./env.ts";
import { createLogger } from "./logger.ts";
import { buildDeps, type DepsOverrides } from "./services.ts";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  database: DatabaseHandle;
  /** Sends a request to the app in-process; JSON bodies are serialised for you. */
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

/** A Response whose JSON body tests may inspect without declaring its type first. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions inspect bodies ad hoc
export type TestResponse = Omit<Response, "json"> & { json(): Promise<any> };

export interface RequestOptions {
  token?: string;
  json?: unknown;
  body?: RequestInit["body"];
  headers?: Record<string, string>;
}

/**
 * A fully wired app on a fresh test database (PGlite, or PostgreSQL when the test run
 * provides one) with generous rate limits unless overridden.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { logDestination?: DestinationStream } & DepsOverrides = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "oratio-test-"));
  const config: Config = loadConfig({
    ORATIO_DATA_DIR: dataDir,
    ORATIO_SECRET_KEY: "test-secret-key-that-is-long-enough-0123456789",
    ORATIO_LOG_LEVEL: process.env.ORATIO_TEST_LOG_LEVEL ?? "silent",
    ORATIO_RATE_LIMIT_PER_IP: "100000",
    ORATIO_RATE_LIMIT_PER_KEY: "100000",
    ORATIO_RATE_LIMIT_AUTH_PER_IP: "100000",
    ...env,
  });
  const database = await openTestDatabase();
  const deps = buildDeps(config, database, createLogger(config.logLevel, options.logDestination), options);
  const app = createApp(deps);
  await deps.jobs.start();
  return {
    app,
    deps,
    database,
    request(method, url, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body = options.body;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers["content-type"] ??= "application/json";
      }
      return Promise.resolve(app.request(url, { method, headers, body })) as Promise<TestResponse>;
    },
    async close() {
      await deps.jobs.stop();
      await database.close();
    },
  };
}
