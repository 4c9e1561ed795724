import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import type { AppDeps } from "./context.ts";
import type { Config } from "./env.ts";
import { tuneHeapForRealtimeAudio } from "./heap-tuning.ts";
import { createLogger } from "./logger.ts";
import { buildDeps, openConfiguredDatabase } from "./services.ts";
import { injectWebSockets } from "./voice/websockets.ts";

export interface RunningServer {
  url: string;
  deps: AppDeps;
  close(): Promise<void>;
}

/** Creates the data dir, opens and migrates the database, and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  tuneHeapForRealtimeAudio(config.heapGrowthPercent);
  const logger = createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const database = await openConfiguredDatabase(config);
  const deps = buildDeps(config, database, logger);
  const app = createApp(deps);
  await deps.jobs.start();

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once("error", reject);
  });
  injectWebSockets(app, server as Server);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
  logger.info({ url, database: database.label, dataDir: config.dataDir }, "Oratio is ready");

  return {
    url,
    deps,
    async close() {
      await deps.jobs.stop();
      // Open event streams would otherwise hold close() forever.
      (server as Server).closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}
